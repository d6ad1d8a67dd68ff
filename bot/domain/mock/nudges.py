"""Which nudge a round's clock (or its silence) brings, and when the round closes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.domain.mock.phases import SECOND_QUESTION_PHASE, Phase, phase_minutes
from bot.domain.mock.round import (
    GRACE,
    IDLE_WARNING,
    LEFT_NUDGE_MINUTES,
    MAX_CANDIDATE_TURNS,
    EndReason,
    MockRound,
    MockSettings,
)

# "second_question": a phone screen's halfway mark. Its question's own post says it; the nudge
# only makes the first question's phase nudges stale.
NudgeKind = Literal["phase", "second_question", "left", "time_up", "idle"]


@dataclass(frozen=True)
class Nudge:
    """A reminder the round's clock brings; the ui words it from its kind and figures."""

    key: str
    kind: NudgeKind
    at: datetime
    # Minutes left in the time box; for "idle" until the idle close; for "time_up" the box.
    minutes: int
    phase: Phase | None = None  # the phase that begins, for "phase"


def time_nudges(mock: MockRound) -> list[Nudge]:
    """The nudges a round's clock brings: each new phase, 10 minutes left, and time up."""
    nudges: list[Nudge] = []
    box = mock.time_box_minutes
    for phase, start, _ in phase_minutes(mock.round, box, phone_screen=mock.is_phone_screen)[1:]:
        kind: NudgeKind = "second_question" if phase.key == SECOND_QUESTION_PHASE else "phase"
        at = mock.started_at + timedelta(minutes=start)
        nudges.append(Nudge(f"phase:{phase.key}", kind, at, box - start, phase))
    if box >= 2 * LEFT_NUDGE_MINUTES:
        at = mock.deadline - timedelta(minutes=LEFT_NUDGE_MINUTES)
        nudges.append(Nudge(f"left:{LEFT_NUDGE_MINUTES}", "left", at, LEFT_NUDGE_MINUTES))
    nudges.append(Nudge("time_up", "time_up", mock.deadline, box))
    return nudges


def idle_nudge(mock: MockRound, settings: MockSettings) -> Nudge | None:
    if settings.idle <= 2 * IDLE_WARNING:
        return None
    return Nudge(
        # Keyed by the last answer's time, so each quiet spell gets its own warning.
        f"idle:{int(mock.last_turn_at.timestamp())}",
        "idle",
        mock.last_turn_at + settings.idle - IDLE_WARNING,
        int(IDLE_WARNING.total_seconds() // 60),
    )


def nudge_schedule(mock: MockRound, settings: MockSettings, answers: int) -> list[Nudge]:
    """Every nudge the round has left, in order, agreeing with every deadline. The round closes
    at the time box's end plus GRACE, or earlier after `settings.idle` without an answer:
    - nothing once the round has had all its answers (the last one said so);
    - no clock nudge ("N min left", a new phase, time up) once the idle close is near: it
      would promise time the round does not have;
    - the idle warning only while an answer can still keep the round open, that is when the
      idle close comes before the time box's own close (never after "Time's up")."""
    if answers >= MAX_CANDIDATE_TURNS:
        return []
    idle_close = mock.last_turn_at + settings.idle
    closing_idle = idle_close < mock.deadline + GRACE
    quiet_from = idle_close - IDLE_WARNING if closing_idle else None
    nudges = [n for n in time_nudges(mock) if quiet_from is None or n.at < quiet_from]
    warning = idle_nudge(mock, settings)
    if warning is not None and closing_idle:
        nudges.append(warning)
    return sorted(nudges, key=lambda n: n.at)


def due_nudge(
    mock: MockRound, now: datetime, sent: Collection[str], settings: MockSettings, answers: int
) -> tuple[Nudge | None, list[str]]:
    """The one nudge of the schedule to send now, and every due key to mark as sent. After
    downtime several can be due at once: only the latest is worth sending, the older ones are
    stale."""
    due = [n for n in nudge_schedule(mock, settings, answers) if n.at <= now and n.key not in sent]
    if not due:
        return None, []
    return due[-1], [n.key for n in due]


def closing_reason(mock: MockRound, now: datetime, settings: MockSettings) -> EndReason | None:
    if now >= mock.deadline + GRACE:
        return "time_up"
    if now >= mock.last_turn_at + settings.idle:
        return "idle"
    return None
