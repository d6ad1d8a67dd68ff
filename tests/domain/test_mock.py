"""Mock rounds' pure rules: phases, nudges, closing, turns."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.schema import ROUNDS, Round
from bot.domain.errors import UserError
from bot.domain.mock import (
    GRACE,
    IDLE_WARNING,
    MAX_CANDIDATE_TURNS,
    MAX_TURN_CHARS,
    MockRound,
    MockSettings,
    Nudge,
    check_settings,
    clean_turn,
    closing_reason,
    due_nudge,
    idle_nudge,
    interviewer_phase,
    minutes_left,
    nudge_schedule,
    phase_at,
    phase_minutes,
    time_nudges,
)

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def a_round(round_name: Round = "system_design", box: int = 45, **changes: object) -> MockRound:
    values: dict[str, object] = {
        "round_id": 1,
        "guild_id": 10,
        "user_id": 20,
        "channel_id": 30,
        "thread_id": 40,
        "question_id": "q",
        "round": round_name,
        "difficulty": "medium",
        "time_box_minutes": box,
        "locale": "en-US",
        "loop_id": None,
        "loop_position": None,
        "status": "active",
        "end_reason": None,
        "local_date": "2026-11-26",
        "started_at": START,
        "last_turn_at": START,
        "ended_at": None,
        "score_attempts": 0,
        "retry_after": None,
        "grade": None,
        "points": None,
    }
    values.update(changes)
    return MockRound(**values)  # type: ignore[arg-type]


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.mark.parametrize("round_name", ROUNDS)
@pytest.mark.parametrize("box", [10, 15, 45, 90])
def test_phases_cover_the_time_box_in_order(round_name: Round, box: int) -> None:
    spans = phase_minutes(round_name, box)
    assert spans[0][1] == 0 and spans[-1][2] == box
    for (_, _, end), (_, start, _) in itertools.pairwise(spans):
        assert end == start
    assert [p.key for p, _, _ in spans] == [
        phase_at(round_name, box, timedelta(minutes=s)).key for _, s, _ in spans
    ]


def test_system_design_has_the_four_phases() -> None:
    labels = [p.label for p, _, _ in phase_minutes("system_design", 45)]
    assert labels == ["Requirements", "High-level design", "Deep dive", "Wrap-up"]
    assert phase_at("system_design", 45, timedelta(minutes=8)).key == "requirements"
    assert phase_at("system_design", 45, timedelta(minutes=9)).key == "high_level"


def test_time_nudges_per_phase_ten_minutes_left_and_time_up() -> None:
    nudges = {n.key: n for n in time_nudges(a_round())}
    assert list(nudges) == [
        "phase:high_level",
        "phase:deep_dive",
        "phase:wrap_up",
        "left:10",
        "time_up",
    ]
    assert nudges["left:10"].at == at(35) and nudges["left:10"].minutes == 10
    high_level = nudges["phase:high_level"]
    assert high_level.at == at(9) and high_level.minutes == 36
    assert high_level.phase is not None and high_level.phase.key == "high_level"
    assert nudges["time_up"].at == at(45) and nudges["time_up"].kind == "time_up"
    # A short behavioral round has no "10 minutes left".
    assert "left:10" not in {n.key for n in time_nudges(a_round("behavioral", 15))}


def test_due_nudge_sends_the_latest_once_and_marks_stale_ones() -> None:
    mock, settings = a_round(), MockSettings(idle_minutes=120)
    assert due_nudge(mock, at(8), set(), settings, 1) == (None, [])
    nudge, keys = due_nudge(mock, at(36), set(), settings, 3)
    assert nudge is not None and nudge.key == "left:10"
    assert keys == ["phase:high_level", "phase:deep_dive", "left:10"]  # after downtime
    assert due_nudge(mock, at(36), set(keys), settings, 3) == (None, [])


def test_idle_warning_replaces_clock_nudges_and_resets_with_each_answer() -> None:
    mock = a_round(box=35)
    settings = MockSettings(idle_minutes=30)
    nudge, _ = due_nudge(mock, at(25), set(), settings, 0)
    assert nudge is not None and nudge.key.startswith("idle:") and nudge.kind == "idle"
    answered = a_round(box=35, last_turn_at=at(20))
    warning = idle_nudge(answered, settings)
    assert warning is not None and warning.at == at(45) and warning.key != nudge.key
    assert idle_nudge(mock, MockSettings(idle_minutes=10)) is None  # too short to warn first


def test_closing_after_grace_or_idle() -> None:
    mock, settings = a_round(), MockSettings(idle_minutes=30)
    assert closing_reason(mock, at(29), settings) is None
    assert closing_reason(mock, at(30), settings) == "idle"
    busy = a_round(last_turn_at=at(40))
    assert closing_reason(busy, at(45) + GRACE - timedelta(seconds=1), settings) is None
    assert closing_reason(busy, at(45) + GRACE, settings) == "time_up"


def test_interviewer_phase_and_minutes_left() -> None:
    mock = a_round()
    assert interviewer_phase(mock, at(1), 1).startswith("Requirements:")
    assert interviewer_phase(mock, at(25), 3).startswith("Deep dive:")
    assert interviewer_phase(mock, at(40), 5) == "wrap_up"
    assert interviewer_phase(mock, at(46), 5) == "wrap_up"
    assert interviewer_phase(mock, at(2), MAX_CANDIDATE_TURNS) == "last_answer"
    assert minutes_left(mock, at(0)) == 45
    assert minutes_left(mock, at(44.5)) == 1
    assert minutes_left(mock, at(50)) == 0


def test_turns_are_cleaned_and_limited() -> None:
    assert clean_turn("  my answer \n") == "my answer"
    for blank in ("   ", "\u200b\u200d\ufeff", " \x00 "):  # nothing visible is no answer
        with pytest.raises(UserError, match="empty"):
            clean_turn(blank)
    with pytest.raises(UserError, match=str(MAX_TURN_CHARS)):
        clean_turn("x" * (MAX_TURN_CHARS + 1))
    assert clean_turn("x" * MAX_TURN_CHARS)


def test_settings_are_range_checked() -> None:
    check_settings(30, 4)
    check_settings(None, None)
    with pytest.raises(UserError, match="idle_minutes"):
        check_settings(5, None)
    with pytest.raises(UserError, match="daily_limit"):
        check_settings(None, 0)


def sent_over_the_round(
    mock: MockRound, settings: MockSettings, answers: int
) -> tuple[list[tuple[datetime, Nudge]], datetime]:
    """What a sweep every minute sends to a quiet member, and when the round closes."""
    sent: set[str] = set()
    said: list[tuple[datetime, Nudge]] = []
    now = mock.started_at
    while closing_reason(mock, now, settings) is None:
        nudge, keys = due_nudge(mock, now, sent, settings, answers)
        sent.update(keys)
        if nudge is not None:
            said.append((now, nudge))
        now += timedelta(minutes=1)
    return said, now


def test_no_still_there_after_times_up() -> None:
    """From the issue: "Time's up … close in 5 minutes", then "Still there? … unless you
    answer", though answering cannot keep the round open."""
    mock = a_round(box=45, last_turn_at=at(22))  # the idle warning would fall at 47
    said, _ = sent_over_the_round(mock, MockSettings(idle_minutes=30), 4)
    keys = [n.key for _, n in said]
    assert keys[-1] == "time_up" and not any(k.startswith("idle:") for k in keys)


def test_no_minutes_left_just_before_an_idle_close() -> None:
    """From the issue: "10 min left: time for Follow-ups" a minute before an idle close."""
    mock = a_round("behavioral", box=20)
    said, closed = sent_over_the_round(mock, MockSettings(idle_minutes=11), 0)
    assert closed == at(11)
    assert [(when, n.key[:5]) for when, n in said] == [(at(6), "idle:")]
    said, closed = sent_over_the_round(mock, MockSettings(idle_minutes=10), 0)
    assert closed == at(10) and said == []  # too short to warn, and no "10 min left" either


def test_nothing_after_the_last_allowed_answer() -> None:
    mock = a_round(last_turn_at=at(10))
    assert nudge_schedule(mock, MockSettings(idle_minutes=120), MAX_CANDIDATE_TURNS) == []


@given(
    round_name=st.sampled_from(ROUNDS),
    box=st.integers(min_value=10, max_value=90),
    idle=st.integers(min_value=10, max_value=180),
    last_turn=st.integers(min_value=0, max_value=90),
    answers=st.integers(min_value=0, max_value=MAX_CANDIDATE_TURNS),
)
def test_the_schedule_agrees_with_every_deadline(
    round_name: Round, box: int, idle: int, last_turn: int, answers: int
) -> None:
    mock = a_round(round_name, box, last_turn_at=at(min(last_turn, box)))
    settings = MockSettings(idle_minutes=idle)
    said, closed = sent_over_the_round(mock, settings, answers)
    idle_close = mock.last_turn_at + settings.idle
    for when, nudge in said:
        assert when < closed
        if nudge.key.startswith("idle:"):
            # Answering can keep the round open: the time box's own close is later.
            assert idle_close < mock.deadline + GRACE and when < mock.deadline
            assert when + IDLE_WARNING == closed
        elif idle_close < mock.deadline + GRACE:
            # No clock nudge in the last minutes of a round closing for silence.
            assert when < idle_close - IDLE_WARNING
    keys = [n.key for _, n in said]
    if "time_up" in keys:
        assert not any(k.startswith("idle:") for k in keys[keys.index("time_up") :])
    if answers >= MAX_CANDIDATE_TURNS:
        assert said == []
