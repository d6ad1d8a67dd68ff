"""Every Claude response reports its usage, attributed to the scope it was made in."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from bot.content.schema import Question
from bot.domain.grading import GradingUnavailable
from bot.llm.base import Grader
from bot.llm.claude import ClaudeGrader
from bot.llm.offline import OfflineGrader
from bot.llm.prompts import GRADE_PROMPT_VERSION, INTERVIEW_PROMPT_VERSION
from bot.llm.usage import LlmCall, Metered, UsageScope, current_scope, usage_scope
from emulator.fake_messages_api import FakeMessagesAPI, Malformed, Overloaded

MakeClaude = Callable[..., ClaudeGrader]
ANSWER = "BFS from s with a visited set, stopping after k levels: O(n + e)."


class Recorder:
    def __init__(self) -> None:
        self.calls: list[LlmCall] = []

    async def __call__(self, call: LlmCall) -> None:
        self.calls.append(call)


def test_only_the_ai_grader_is_metered(make_claude: MakeClaude) -> None:
    graders: list[Grader] = [make_claude(), OfflineGrader()]
    assert [isinstance(g, Metered) for g in graders] == [True, False]


async def test_a_grade_reports_its_usage_in_scope(
    fake: FakeMessagesAPI, make_claude: MakeClaude, coding_question: Question
) -> None:
    grader, recorder = make_claude(), Recorder()
    grader.set_usage_listener(recorder)
    with usage_scope(guild_id=7, user_id=42):
        grade = await grader.grade(coding_question, ANSWER)
    assert current_scope() == UsageScope()  # the scope ends with the block

    [call] = recorder.calls
    assert (call.operation, call.model, call.prompt_version) == (
        "grade",
        "claude-haiku-5-5",
        GRADE_PROMPT_VERSION,
    )
    assert call.scope == UsageScope(7, 42) and call.stop_reason == "end_turn"
    assert call.usage == grade.usage and call.usage.input_tokens > 0


async def test_unusable_replies_are_still_reported_failed_requests_are_not(
    fake: FakeMessagesAPI, make_claude: MakeClaude, coding_question: Question
) -> None:
    grader, recorder = make_claude(max_retries=0), Recorder()
    grader.set_usage_listener(recorder)
    fake.enqueue(Malformed(), Overloaded())
    for _ in range(2):
        with pytest.raises(GradingUnavailable):
            await grader.grade(coding_question, ANSWER)
    [call] = recorder.calls  # the malformed reply was paid for; the 529 was not
    assert call.stop_reason == "end_turn" and call.usage.output_tokens > 0


async def test_interviewer_turns_are_reported_unattributed_outside_a_scope(
    fake: FakeMessagesAPI, make_claude: MakeClaude, coding_question: Question
) -> None:
    grader, recorder = make_claude(), Recorder()
    grader.set_usage_listener(recorder)
    await grader.interview_turn(coding_question, [("candidate", ANSWER)], phase="probe")
    [call] = recorder.calls
    assert (call.operation, call.prompt_version) == ("interview_turn", INTERVIEW_PROMPT_VERSION)
    assert call.scope == UsageScope(None, None)


async def test_a_failing_listener_never_fails_the_grade(
    fake: FakeMessagesAPI,
    make_claude: MakeClaude,
    coding_question: Question,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(call: LlmCall) -> None:
        raise RuntimeError("database closed")

    grader = make_claude()
    grader.set_usage_listener(broken)
    with caplog.at_level(logging.WARNING, logger="bot.llm.claude"):
        grade = await grader.grade(coding_question, ANSWER)
    assert grade.overall >= 0
    assert "usage listener failed" in caplog.text
