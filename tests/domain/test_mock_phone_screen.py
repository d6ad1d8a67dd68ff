"""The phone-screen format's pure rules: two coding questions in 60 minutes, the second one
level harder from the halfway mark on, and one grade made of both."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.schema import ROUNDS, Difficulty, Round
from bot.domain.errors import UserError
from bot.domain.grading import CriterionScore, Grade, Usage
from bot.domain.mock import (
    MockRound,
    MockSettings,
    MockTurn,
    due_nudge,
    interviewer_phase,
    phase_minutes,
    time_nudges,
)
from bot.domain.mock.phases import SECOND_QUESTION_PHASE
from bot.domain.mock.phone_screen import (
    PHONE_SCREEN_MINUTES,
    SECOND_QUESTION_SOURCE,
    answered_parts,
    check_phone_screen,
    combined_grade,
    difficulties,
    question_parts,
    second_question_at,
    second_question_due,
)
from tests.domain.test_mock import START, a_round, at

LEVELS: tuple[Difficulty, ...] = ("easy", "medium", "hard")


def a_screen(**changes: object) -> MockRound:
    return a_round("coding", PHONE_SCREEN_MINUTES, second_question_id="q2", **changes)


def a_turn(seq: int, speaker: str = "candidate", source: str = "message") -> MockTurn:
    return MockTurn(seq, speaker, f"turn {seq}", source, START)  # type: ignore[arg-type]


def a_grade(overall: float, *names: str, tokens: int = 10) -> Grade:
    return Grade(
        overall=overall,
        max=5,
        grader="claude",
        model="m",
        prompt_version="v",
        criteria=tuple(CriterionScore(n, overall, 5, 1, None, f"{n} ok") for n in names),
        strengths=("clear",),
        improvements=("faster",),
        strong_answer_adds=(),
        star=None,
        injection_attempt=False,
        approximate=False,
        language="en",
        usage=Usage(tokens, tokens, 0, 0),
        hiring_signal="yes",
        hiring_reasons=("solid",),
    )


@pytest.mark.parametrize("preferred", [None, *LEVELS])
def test_the_second_question_is_a_step_up(preferred: Difficulty | None) -> None:
    first, second = difficulties(preferred)
    assert LEVELS.index(second) == LEVELS.index(first) + 1
    assert preferred in (None, first, second)


@pytest.mark.parametrize("round_name", [r for r in ROUNDS if r != "coding"])
def test_only_coding_rounds_are_phone_screens(round_name: Round) -> None:
    with pytest.raises(UserError, match="coding round") as refused:
        check_phone_screen(round_name)
    assert refused.value.code == "phone-screen-round"
    check_phone_screen("coding")


def test_an_hour_with_question_two_at_the_halfway_mark() -> None:
    mock = a_screen()
    assert mock.is_phone_screen and not a_round("coding", 45).is_phone_screen
    spans = phase_minutes("coding", PHONE_SCREEN_MINUTES, phone_screen=True)
    assert spans[0][1] == 0 and spans[-1][2] == PHONE_SCREEN_MINUTES
    assert second_question_at(mock) == at(30)
    assert [p.label.split(":")[0] for p, _, _ in spans] == ["Question 1"] * 3 + ["Question 2"] * 3
    # The second question's own post opens its first phase: its nudge is never sent, it only
    # makes the first question's nudges stale.
    kinds = {n.key: n.kind for n in time_nudges(mock)}
    assert kinds[f"phase:{SECOND_QUESTION_PHASE}"] == "second_question"
    assert {"phase:q1_code", "phase:q2_code", "left:10", "time_up"} <= set(kinds)
    nudge, stale = due_nudge(mock, at(30), set(), MockSettings(idle_minutes=120), 2)
    assert nudge is not None and nudge.kind == "second_question"
    assert stale == ["phase:q1_code", "phase:q1_test", f"phase:{SECOND_QUESTION_PHASE}"]
    assert interviewer_phase(mock, at(29), 2).startswith("Question 1")
    assert interviewer_phase(mock, at(31), 3).startswith("Question 2")


def test_the_second_question_is_due_once_at_half_time() -> None:
    mock = a_screen()
    turns = [a_turn(1, "interviewer", "opening"), a_turn(2)]
    assert not second_question_due(mock, at(29), turns)
    assert second_question_due(mock, at(30), turns)
    asked = [*turns, a_turn(3, "interviewer", SECOND_QUESTION_SOURCE)]
    assert not second_question_due(mock, at(45), asked)
    assert not second_question_due(a_round("coding", 60), at(45), turns)  # one question


@given(
    st.lists(st.sampled_from(["candidate", "interviewer"]), max_size=12),
    st.none() | st.integers(min_value=0, max_value=12),
)
def test_parts_split_the_transcript_at_the_second_question(
    speakers: list[str], switch: int | None
) -> None:
    turns = [a_turn(i + 1, s) for i, s in enumerate(speakers)]
    if switch is not None:
        at_index = min(switch, len(turns))
        turns.insert(at_index, a_turn(99, "interviewer", SECOND_QUESTION_SOURCE))
    parts = question_parts(turns)
    assert [t for part in parts for t in part] == turns
    assert len(parts) == (1 if switch is None else 2)
    if switch is not None:
        assert parts[1][0].source == SECOND_QUESTION_SOURCE
        assert all(t.source != SECOND_QUESTION_SOURCE for t in parts[0])
    answered = answered_parts(turns, 2)
    for part in answered:
        assert part is None or any(t.speaker == "candidate" for t in part)
    if switch is None:
        assert answered[1] is None  # never reached


def test_the_combined_grade_averages_both_and_labels_each() -> None:
    grade = combined_grade([a_grade(4.0, "Approach", "Code"), a_grade(2.0, "Approach")])
    assert grade.overall == 3.0 and grade.max == 5
    assert [c.name for c in grade.criteria] == ["Q1 · Approach", "Q1 · Code", "Q2 · Approach"]
    assert grade.strengths == ("Question 1: clear", "Question 2: clear")
    assert grade.usage == Usage(20, 20, 0, 0)
    assert grade.hiring_signal is None  # the score decides it for the whole screen


def test_an_unanswered_question_counts_as_zero() -> None:
    grade = combined_grade([a_grade(4.0, "Approach"), None])
    assert grade.overall == 2.0
    assert grade.hiring_reasons[0] == "Question 2 was not answered: it scores 0."
    assert [c.name for c in grade.criteria] == ["Q1 · Approach"]
