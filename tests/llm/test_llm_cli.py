"""What `python -m bot grade` and `python -m bot eval` print."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bot.domain.grading import GradingUnavailable
from bot.llm.claude import ClaudeGrader
from bot.llm.cli import eval_cli, grade_cli, unavailable_message
from bot.llm.evaluation import EvalItem
from bot.llm.offline import OfflineGrader
from emulator.fake_messages_api import FakeMessagesAPI, Refusal

MakeClaude = Callable[..., ClaudeGrader]


async def test_json_output_has_the_contract_fields(coding_item: EvalItem) -> None:
    out = await grade_cli(coding_item.question, coding_item.answers.strong, OfflineGrader(), "json")
    data = json.loads(out)
    assert data["grader"] == "offline" and data["max"] == 5
    assert isinstance(data["overall"], float)
    assert data["question"] == coding_item.question.id
    assert [c["name"] for c in data["criteria"]] == [c.name for c in coding_item.question.rubric]
    assert all({"name", "score", "max"} <= c.keys() for c in data["criteria"])


async def test_text_output_shows_n_of_m_and_every_criterion(coding_item: EvalItem) -> None:
    out = await grade_cli(coding_item.question, coding_item.answers.medium, OfflineGrader(), "text")
    grade = await OfflineGrader().grade(coding_item.question, coding_item.answers.medium)
    assert f"Overall: {grade.overall:g}/5" in out
    assert "approximate" in out
    for criterion in coding_item.question.rubric:
        assert f"- {criterion.name} (weight {criterion.weight}): " in out


async def test_claude_text_output_is_not_labelled_approximate(
    fake: FakeMessagesAPI, make_claude: MakeClaude, coding_item: EvalItem
) -> None:
    out = await grade_cli(coding_item.question, coding_item.answers.strong, make_claude(), "text")
    assert "Grader: claude (claude-haiku-5-5)" in out
    assert "approximate" not in out


async def test_unavailable_propagates_for_the_command_to_report(
    fake: FakeMessagesAPI, make_claude: MakeClaude, coding_item: EvalItem
) -> None:
    fake.enqueue(Refusal())
    with pytest.raises(GradingUnavailable) as caught:
        await grade_cli(coding_item.question, "An answer.", make_claude(), "json")
    assert unavailable_message(caught.value) == "grading unavailable: refusal"


async def test_empty_answer_is_refused(coding_item: EvalItem) -> None:
    with pytest.raises(ValueError):
        await grade_cli(coding_item.question, "   ", OfflineGrader(), "text")


async def test_eval_cli_prints_the_report() -> None:
    out, passed = await eval_cli(OfflineGrader())
    assert passed
    assert "strong > medium > weak" in out
    assert "PASS" in out
    assert "offline (approximate)" in out


async def test_eval_reports_a_failed_goal(
    fake: FakeMessagesAPI, make_claude: MakeClaude, evalset: list[EvalItem]
) -> None:
    """Scores that are any instance of the schema cannot rank strong above weak on three
    questions: the report says FAIL and `eval` (which exits 3 on it) is told a goal failed."""
    fake.arbitrary = True
    out, passed = await eval_cli(make_claude(), repeats=1, items=evalset[:3])
    assert not passed
    assert "FAIL" in out
