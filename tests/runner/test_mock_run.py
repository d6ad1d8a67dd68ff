"""A mock coding round runs the candidate's code: a code block in a turn and the Run button post
the results in the thread, the AI interviewer (the fake Messages API) is given them and asked to
probe the failing case, and the scorecard reports the final pass rate. Real bot, emulator and
sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable

import anthropic
import pytest

from bot.llm.claude import ClaudeGrader
from bot.runner.spec import find_tests, load_spec
from bot.runner.toolchains import Discovery
from emulator import Channel, Message
from emulator.fake_messages_api import FakeMessagesAPI, TurnReply
from tests.conftest import App

ASK_ABOUT_IT = "What does your function return on example 1, and why?"
NEXT = "All green. What is the complexity?"


@pytest.fixture
async def fake() -> AsyncIterator[FakeMessagesAPI]:
    async with FakeMessagesAPI() as api:
        yield api


@pytest.fixture
async def live(app: App, fake: FakeMessagesAPI) -> App:
    client = anthropic.AsyncAnthropic(api_key="test-key", base_url=fake.base_url)
    app.grader = ClaudeGrader(client, "claude-haiku-5-5", max_retries=0, timeout_s=5.0)
    await app.start()
    return app


def _bot_messages(app: App, thread: Channel) -> list[Message]:
    return [m for m in app.emu.messages(thread) if m.author.id == app.emu.bot_user.id]


async def _two_replies(app: App, thread: Channel, action: Awaitable[object]) -> list[Message]:
    """The bot's next two messages in the thread: the test run, then the interviewer."""
    seen = {m.id for m in app.emu.messages(thread)}
    await action
    await app.emu.wait_for(
        lambda: sum(m.id not in seen for m in _bot_messages(app, thread)) >= 2,
        what="the test run and the interviewer's line",
    )
    return [m for m in _bot_messages(app, thread) if m.id not in seen][:2]


async def _coding_round(app: App) -> tuple[Channel, str]:
    record = await app.emu.slash(app.world.alice, app.world.practice, "mock start", round="coding")
    await record.wait_until(lambda r: bool(r.followups) or bool(r.text.strip()))
    thread = [t for t in app.emu.threads(app.world.practice) if app.world.alice.id in t.members][-1]
    mock = await app.running.services.mocks.round_for_thread(thread.id)
    assert mock is not None and mock.round == "coding"
    return thread, mock.question_id


async def test_the_interviewer_asks_about_the_failing_case_and_the_card_has_the_pass_rate(
    sandbox: Discovery, live: App, fake: FakeMessagesAPI
) -> None:
    app, alice = live, live.world.alice
    thread, question_id = await _coding_round(app)
    spec = load_spec(find_tests(question_id))  # type: ignore[arg-type]
    opening = _bot_messages(app, thread)[0]
    assert opening.find_button("Run") is not None

    wrong = f"First try:\n```python\ndef {spec.functions['python']}(*args):\n    return None\n```"
    fake.enqueue(TurnReply(ASK_ABOUT_IT))
    mention = app.emu.post_message(alice, thread, f"<@{app.emu.bot_user.id}> {wrong}")
    run, interviewer = await _two_replies(app, thread, mention)
    assert "Some tests fail" in run.text and "Visible tests: 0/" in run.text
    assert ASK_ABOUT_IT in interviewer.text and interviewer.find_button("Run") is not None
    # The interviewer was given the run, as the bot's line, and told to probe the failing case.
    asked = fake.requests[-1]
    assert f"[Test run, by the bot] 0 of {len(spec.cases)} tests pass" in asked.user_text
    assert "Failing: “" in asked.user_text and "first failing case" in asked.system_text

    right = f"Fixed:\n```javascript\n{spec.reference['javascript']}\n```"
    fake.enqueue(TurnReply(NEXT), TurnReply(NEXT))
    await app.emu.post_message(alice, thread, f"<@{app.emu.bot_user.id}> {right}")
    await app.emu.wait_for(lambda: NEXT in _bot_messages(app, thread)[-1].text)
    # The Run button runs the latest code again.
    pressed = app.emu.click(alice, _bot_messages(app, thread)[-1], label="Run")
    run, interviewer = await _two_replies(app, thread, pressed)
    assert "All tests pass" in run.text and NEXT in interviewer.text
    assert "every test" in fake.requests[-1].system_text

    ended = await app.emu.slash(alice, thread, "mock end")
    await ended.wait_until(lambda r: bool(r.followups) or bool(r.text.strip()))
    card = next(m for m in _bot_messages(app, thread) if "Scorecard" in m.text)
    total = len(spec.cases)
    assert f"Tests on the final code: **{total}/{total} passed** (100%)" in card.text
    scorecard_request = fake.requests[-1]
    assert f"passes {total} of {total}" in scorecard_request.system_text


async def test_run_without_code_says_what_to_do(sandbox: Discovery, live: App) -> None:
    thread, _ = await _coding_round(live)
    pressed = await live.emu.click(live.world.alice, _bot_messages(live, thread)[0], label="Run")
    await pressed.wait_for_followups(1)
    assert "no code to run yet" in pressed.followups[-1].text
