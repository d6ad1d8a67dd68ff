"""Run tests under a coding answer's feedback, end to end: real bot, emulator and sandbox."""

from __future__ import annotations

import pytest

from bot.domain.errors import UserError
from bot.runner import toolchains
from bot.runner.spec import find_tests, load_spec
from bot.runner.toolchains import Discovery
from emulator import Message
from tests.conftest import App


async def _answer_coding(app: App, text_for: object) -> tuple[str, Message]:
    offered = await app.emu.slash(app.world.alice, app.world.practice, "practice", round="coding")
    assert offered.original is not None
    question_id = str(offered.original.buttons[0]["custom_id"]).removeprefix("practice:answer:")
    opened = await app.emu.click(app.world.alice, offered.original, label="Answer")
    text = text_for(question_id)  # type: ignore[operator]
    submitted = await app.emu.submit_modal(app.world.alice, opened, {"answer": text})
    await submitted.wait_for_followups(1)
    feedback = submitted.followups[-1]
    return question_id, feedback


def _reference_answer(question_id: str) -> str:
    path = find_tests(question_id)
    assert path is not None
    code = load_spec(path).reference["javascript"]
    return f"Linear time with a hash map.\n```js\n{code}\n```"


async def _press(app: App, member: object, feedback: Message) -> Message:
    pressed = await app.emu.click(member, feedback, label="Run tests")  # type: ignore[arg-type]
    await pressed.wait_for_followups(1)
    return pressed.followups[-1]


async def test_run_tests_shows_private_results(sandbox: Discovery, running: App) -> None:
    question_id, feedback = await _answer_coding(running, _reference_answer)
    assert feedback.ephemeral and feedback.find_button("Run tests") is not None
    result = await _press(running, running.world.alice, feedback)
    assert result.ephemeral
    embed = result.embeds[0]
    assert "All tests pass" in embed["description"]
    spec = load_spec(find_tests(question_id))  # type: ignore[arg-type]
    hidden = sum(case.hidden for case in spec.cases)
    assert f"hidden tests: {hidden}/{hidden} passed" in embed["description"]
    assert "JavaScript" in embed["footer"]["text"] and "left today" in embed["footer"]["text"]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("I would use BFS and a queue.", "no code block"),
        ("```java\nclass Solution {}\n```", "not `java`"),
        ("```python\ndef wrong(:\n```", "did not load"),
    ],
)
async def test_an_answer_without_runnable_code_is_told_what_to_do(
    sandbox: Discovery, running: App, answer: str, expected: str
) -> None:
    _, feedback = await _answer_coding(running, lambda _: answer)
    result = await _press(running, running.world.alice, feedback)
    shown = result.content + "".join(e.get("description", "") for e in result.embeds)
    assert expected in shown, shown


async def test_someone_else_cannot_run_your_answer(sandbox: Discovery, running: App) -> None:
    # Only a forged custom_id reaches another member's answer: the feedback is private.
    _, feedback = await _answer_coding(running, _reference_answer)
    button = feedback.find_button("Run tests")
    assert button is not None
    answer_id = int(str(button["custom_id"]).removeprefix("code:run:"))
    code_runs = running.running.services.code_runs
    with pytest.raises(UserError, match="runs the code of the member who answered"):
        await code_runs.run_answer(running.world.guild.id, running.world.bob.id, answer_id)


def _fields(message: Message) -> dict[str, str]:
    return {f["name"]: f["value"] for e in message.embeds for f in e.get("fields", [])}


def _returns_none(question_id: str) -> str:
    spec = load_spec(find_tests(question_id))  # type: ignore[arg-type]
    function = spec.functions["python"]
    return f"My solution.\n```python\ndef {function}(*args):\n    return None\n```"


async def test_submitting_runs_the_tests_and_the_grade_follows_them(
    sandbox: Discovery, running: App
) -> None:
    _, feedback = await _answer_coding(running, _returns_none)
    fields = _fields(feedback)
    assert "Some tests fail" in fields["Tests"] and "Visible tests: 0/" in fields["Tests"]
    assert "The tests decide this one: 0 of" in fields["Rubric"]
    _, feedback = await _answer_coding(running, _reference_answer)
    assert "All tests pass" in _fields(feedback)["Tests"]


async def test_without_a_sandbox_the_answer_is_graded_and_says_so(
    running: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(toolchains, "find_bwrap", lambda: None)
    _, feedback = await _answer_coding(running, _returns_none)
    tests = _fields(feedback)["Tests"]
    assert "Not run: code execution is off" in tests and "bubblewrap" in tests
    assert "text alone" in tests and "Rubric" in _fields(feedback)
