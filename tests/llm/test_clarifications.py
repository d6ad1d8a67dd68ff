"""Clarifications in a mock round: the interviewer holds them and answers only what is asked."""

from __future__ import annotations

import pytest

from bot.content.schema import Question
from bot.llm.evaluation import EvalItem
from bot.llm.offline import OfflineGrader
from bot.llm.prompts import INTERVIEWER_RULES
from emulator.fake_messages_api import FakeMessagesAPI, GradeReply
from tests.llm.conftest import MakeClaude


@pytest.fixture(scope="session")
def design_question(evalset: list[EvalItem]) -> Question:
    return next(i.question for i in evalset if i.question.id == "pin-sd-url-shortener")


async def test_the_interviewer_prompt_holds_the_clarifications_in_the_cached_prefix(
    fake: FakeMessagesAPI, make_claude: MakeClaude, design_question: Question
) -> None:
    assert len(design_question.clarifications) >= 3
    fake.enqueue(GradeReply(extra={"message": "About 100M new links a month."}))
    fake.enqueue(GradeReply(extra={"message": "What is your data model?"}))
    grader = make_claude()
    await grader.interview_turn(
        design_question, [("candidate", "How many links per month?")], phase="probe"
    )
    await grader.interview_turn(
        design_question, [("candidate", "I would use a key-value store.")], phase="probe"
    )
    first, second = fake.requests[-2:]
    prefix = first.system_blocks[0]["text"]
    for clarification in design_question.clarifications:
        assert clarification.answer in prefix
        assert clarification.answer not in first.system_blocks[1]["text"]
        assert clarification.answer not in first.user_text
    assert "only by asking" in prefix and "Never volunteer them" in INTERVIEWER_RULES
    # Same question, other transcript: the same cacheable prefix.
    assert second.system_blocks[0]["text"] == prefix
    assert first.system_blocks[0]["cache_control"] == {"type": "ephemeral"}


async def test_graders_see_the_clarifications_but_not_the_interviewers_rule(
    fake: FakeMessagesAPI, make_claude: MakeClaude, design_question: Question
) -> None:
    fake.enqueue(GradeReply(), GradeReply())
    grader = make_claude()
    await grader.grade_transcript(design_question, [("candidate", "A key-value store.")])
    await grader.grade(design_question, "A key-value store.", clarified=False)
    for request in fake.requests[-2:]:
        prefix = request.system_blocks[0]["text"]
        assert design_question.clarifications[0].answer in prefix
        assert "Never volunteer them" not in prefix
    assert "did not ask" in fake.requests[-1].system_blocks[1]["text"]


async def test_the_offline_interviewer_answers_a_covered_question_by_keywords(
    design_question: Question,
) -> None:
    grader = OfflineGrader()
    links = design_question.clarifications[0]
    assert links.ask == "How many links and redirects?"
    transcript = [("interviewer", "Go ahead."), ("candidate", "How many redirects a day?")]
    assert await grader.interview_turn(design_question, transcript, phase="probe") == links.answer
    # A clarifying question does not use up a follow-up; an answer then gets the first one.
    transcript += [("interviewer", links.answer), ("candidate", "I'd hash into base62 codes.")]
    turn = await grader.interview_turn(design_question, transcript, phase="probe")
    assert turn == design_question.follow_ups[0]


@pytest.mark.parametrize(
    "message",
    ["Redirects go through a cache.", "What colour should the logo be?", "How about it?"],
)
async def test_the_offline_interviewer_volunteers_nothing(
    design_question: Question, message: str
) -> None:
    transcript = [("interviewer", "Go ahead."), ("candidate", message)]
    turn = await OfflineGrader().interview_turn(design_question, transcript, phase="probe")
    assert turn == design_question.follow_ups[0]
