"""The offline grader: deterministic, honest about being approximate."""

from __future__ import annotations

import pytest

from bot.content.schema import Question
from bot.domain.grading import looks_like_injection
from bot.domain.signals import signal_pattern
from bot.llm.base import Grader
from bot.llm.eval_variants import INJECTIONS, injected
from bot.llm.evaluation import INJECTION_TOLERANCE, EvalItem
from bot.llm.offline import OFFLINE_CEILING, WRAP_UP_PROMPT, OfflineGrader, length_cap
from bot.llm.offline_feedback import outline_points


async def test_is_a_grader_labelled_approximate(coding_item: EvalItem) -> None:
    grader = OfflineGrader()
    assert isinstance(grader, Grader)
    grade = await grader.grade(coding_item.question, coding_item.answers.strong)
    assert grade.grader == "offline"
    assert grade.approximate and grader.approximate
    assert grade.language == "en"
    assert grade.model is None and grade.usage is None
    assert grade.max == 5
    assert [c.name for c in grade.criteria] == [c.name for c in coding_item.question.rubric]


async def test_deterministic(coding_item: EvalItem) -> None:
    grader = OfflineGrader()
    first = await grader.grade(coding_item.question, coding_item.answers.medium)
    second = await grader.grade(coding_item.question, coding_item.answers.medium)
    assert first == second


async def test_strong_beats_medium_beats_weak(coding_item: EvalItem) -> None:
    grader = OfflineGrader()
    q, a = coding_item.question, coding_item.answers
    strong, medium, weak = [
        (await grader.grade(q, t)).overall for t in (a.strong, a.medium, a.weak)
    ]
    assert strong > medium > weak
    assert strong <= OFFLINE_CEILING  # keyword matching never earns full marks


async def test_very_short_answers_cap_low(coding_question: Question) -> None:
    stuffed = "BFS level depth queue frontier visited seen cycle O(n + e) linear k = 0 edge case"
    grade = await OfflineGrader().grade(coding_question, stuffed)
    assert all(c.score <= length_cap(len(stuffed.split())) for c in grade.criteria)
    assert grade.overall <= 1.5


@pytest.mark.parametrize(
    ("signal", "text", "hit"),
    [
        ("set", "keep a visited set", True),
        ("set", "the settings page", False),
        ("cycle", "graphs with cycles", True),
        ("o(n + e)", "runs in O(n+e) time", True),
        ("k = 0", "when k=0 we return", True),
        ("breadth-first", "a breadth first search", True),
        ("at most k", "at  most k levels", True),
        ("bfs", "BFS.", True),
        ("bfs", "bfsx", False),
    ],
)
def test_signal_matching(signal: str, text: str, hit: bool) -> None:
    assert bool(signal_pattern(signal).search(text)) is hit


async def test_feedback_comes_from_the_rubric(coding_question: Question) -> None:
    answer = (
        "I would run a BFS level by level from the start board using a queue as the frontier, "
        "tracking the depth and stopping after k levels, and count the boards I pop. I think "
        "that covers it and should be fast for the sizes in the problem statement, since we "
        "only look at each board a few times."
    )
    grade = await OfflineGrader().grade(coding_question, answer)
    by_name = {c.name: c for c in grade.criteria}
    traversal = by_name["Level-bounded traversal"]
    assert traversal.score >= 3.5
    assert traversal.evidence is not None and traversal.evidence in answer
    assert "Level-bounded traversal: well covered." in grade.strengths
    assert any(
        i.startswith("Cycles and duplicates handled: a strong answer keeps")
        for i in grade.improvements
    )
    assert by_name["Cycles and duplicates handled"].evidence is None
    assert grade.strong_answer_adds  # outline bullets the answer never touched
    assert all(
        p in outline_points(coding_question.reference_outline) for p in grade.strong_answer_adds
    )


async def test_behavioral_gets_a_star_breakdown(behavioral_item: EvalItem) -> None:
    grade = await OfflineGrader().grade(behavioral_item.question, behavioral_item.answers.strong)
    assert grade.star is not None
    assert "SQL" in grade.star.action or grade.star.action != "Not clearly stated."
    assert "'I'" in grade.star.ownership
    weak = await OfflineGrader().grade(behavioral_item.question, behavioral_item.answers.weak)
    assert weak.star is not None and "'we'" in weak.star.ownership


@pytest.mark.parametrize("variant", sorted(INJECTIONS))
@pytest.mark.parametrize("level", ["strong", "medium", "weak"])
async def test_text_addressed_to_the_grader_earns_nothing(
    coding_item: EvalItem, variant: str, level: str
) -> None:
    grader = OfflineGrader()
    answer = coding_item.answer(level)  # type: ignore[arg-type]
    plain = await grader.grade(coding_item.question, answer)
    injected_grade = await grader.grade(coding_item.question, injected(answer, INJECTIONS[variant]))
    assert abs(injected_grade.overall - plain.overall) <= INJECTION_TOLERANCE
    assert injected_grade.injection_attempt and not plain.injection_attempt
    assert looks_like_injection(INJECTIONS[variant].text)


async def test_interview_turns_follow_the_pack(coding_question: Question) -> None:
    grader = OfflineGrader()
    opening = await grader.interview_turn(coding_question, [], phase=None)
    assert coding_question.title in opening
    transcript: list[tuple[str, str]] = [("interviewer", opening)]
    asked = []
    for i in range(len(coding_question.follow_ups) + 1):
        transcript.append(("candidate", f"answer {i}"))
        turn = await grader.interview_turn(coding_question, transcript, phase=None)
        asked.append(turn)
        transcript.append(("interviewer", turn))
    assert asked[:-1] == list(coding_question.follow_ups)
    assert asked[-1] == WRAP_UP_PROMPT
    wrap = await grader.interview_turn(coding_question, transcript[:3], phase="wrap-up")
    assert wrap == WRAP_UP_PROMPT


async def test_transcript_grade_uses_candidate_turns_and_sets_a_signal(
    coding_item: EvalItem,
) -> None:
    grader = OfflineGrader()
    transcript = [
        ("interviewer", "BFS queue level depth frontier visited"),  # must not earn credit
        ("candidate", coding_item.answers.strong),
    ]
    grade = await grader.grade_transcript(coding_item.question, transcript)
    direct = await grader.grade(coding_item.question, coding_item.answers.strong)
    assert grade.overall == direct.overall
    assert grade.hiring_signal in ("yes", "strong yes")
    assert grade.hiring_reasons
    empty = await grader.grade_transcript(coding_item.question, [("interviewer", "Hello?")])
    assert empty.overall == 0.0
    assert empty.hiring_signal == "strong no"
