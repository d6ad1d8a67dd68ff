"""Mock rounds' pure rules: phases, nudges, closing, turns."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from bot.content.schema import ROUNDS, Round
from bot.domain.errors import UserError
from bot.domain.mock import (
    GRACE,
    MAX_CANDIDATE_TURNS,
    MAX_TURN_CHARS,
    MockRound,
    MockSettings,
    check_settings,
    clean_turn,
    closing_reason,
    due_nudge,
    idle_nudge,
    interviewer_phase,
    minutes_left,
    phase_at,
    phase_minutes,
    strip_mention,
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
    assert nudges["left:10"].at == at(35) and "10 minutes left" in nudges["left:10"].text
    assert (
        nudges["phase:high_level"].at == at(9) and "36 min left" in nudges["phase:high_level"].text
    )
    assert nudges["time_up"].at == at(45) and "/mock end" in nudges["time_up"].text
    # A short behavioral round has no "10 minutes left".
    assert "left:10" not in {n.key for n in time_nudges(a_round("behavioral", 15))}


def test_due_nudge_sends_the_latest_once_and_marks_stale_ones() -> None:
    mock, settings = a_round(), MockSettings(idle_minutes=120)
    assert due_nudge(mock, at(8), set(), settings) == (None, [])
    nudge, keys = due_nudge(mock, at(36), set(), settings)
    assert nudge is not None and nudge.key == "left:10"
    assert keys == ["phase:high_level", "phase:deep_dive", "left:10"]  # after downtime
    assert due_nudge(mock, at(36), set(keys), settings) == (None, [])


def test_idle_warning_wins_a_tie_and_resets_with_each_answer() -> None:
    mock = a_round(box=35)
    settings = MockSettings(idle_minutes=30)
    nudge, _ = due_nudge(mock, at(25), set(), settings)
    assert nudge is not None and nudge.key.startswith("idle:") and "Still there" in nudge.text
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
    assert interviewer_phase(mock, at(2), MAX_CANDIDATE_TURNS) == "wrap_up"
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
    assert strip_mention("<@123> I would use BFS <@!123>", 123) == "I would use BFS"
    assert strip_mention("<@999> hi", 123) == "<@999> hi"


def test_settings_are_range_checked() -> None:
    check_settings(30, 4)
    check_settings(None, None)
    with pytest.raises(UserError, match="idle_minutes"):
        check_settings(5, None)
    with pytest.raises(UserError, match="daily_limit"):
        check_settings(None, 0)
