"""The onsite loop: which rounds it has, and how a hiring committee weighs their scorecards."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from bot.content.schema import Difficulty, Round
from bot.domain.grading import HIRING_SIGNALS, HiringSignal, hiring_signal_for, round_half_up

LoopTrack = Literal["swe", "ml"]
LoopStatus = Literal["active", "complete", "abandoned"]


@dataclass(frozen=True)
class LoopStep:
    round: Round
    difficulty: Difficulty | None
    label: str


# Pinterest's loop: a coding screen, system design, then ML design (ML roles) or a second, deeper
# coding round (software roles), and behavioral.
_SCREEN = LoopStep("coding", "medium", "Coding screen")
_DESIGN = LoopStep("system_design", None, "System design")
_BEHAVIORAL = LoopStep("behavioral", None, "Behavioral")
LOOP_PLANS: Final[dict[LoopTrack, tuple[LoopStep, ...]]] = {
    "swe": (_SCREEN, _DESIGN, LoopStep("coding", "hard", "Deep coding"), _BEHAVIORAL),
    "ml": (_SCREEN, _DESIGN, LoopStep("ml_design", None, "ML design"), _BEHAVIORAL),
}


@dataclass(frozen=True)
class MockLoop:
    loop_id: int
    guild_id: int
    user_id: int
    track: LoopTrack
    status: LoopStatus
    decision: HiringSignal | None
    started_at: datetime

    @property
    def plan(self) -> tuple[LoopStep, ...]:
        return LOOP_PLANS[self.track]


TRACK_NAMES: Final[dict[LoopTrack, str]] = {"swe": "SWE", "ml": "ML"}


def track_fixed_by(current: LoopTrack, wanted: LoopTrack, taken: set[int]) -> LoopStep | None:
    """The started round that keeps a loop on its track, or None when it can still switch:
    a loop switches freely until a round the two plans do not share has started."""
    for position in sorted(taken):
        if LOOP_PLANS[current][position] != LOOP_PLANS[wanted][position]:
            return LOOP_PLANS[current][position]
    return None


def next_position(plan: Sequence[LoopStep], taken: set[int]) -> int | None:
    for position in range(len(plan)):
        if position not in taken:
            return position
    return None


@dataclass(frozen=True)
class PacketEntry:
    """One round's scorecard as the committee reads it."""

    label: str
    title: str
    overall: float
    max: int
    signal: HiringSignal
    round_id: int
    thread_id: int | None


@dataclass(frozen=True)
class Packet:
    decision: HiringSignal
    average: float
    max: int
    entries: tuple[PacketEntry, ...]
    reasons: tuple[str, ...]


def signal_of(signal: HiringSignal | None, overall: float) -> HiringSignal:
    return signal if signal is not None else hiring_signal_for(overall)


def committee_packet(entries: Sequence[PacketEntry]) -> Packet:
    """Weigh every round: the mean of the signals on the six-step scale, rounded down at a tie
    (a committee needs a clear yes), with vetoes: a strong no anywhere caps the decision at no,
    and two or more no-side rounds cap it at lean no."""
    if not entries:
        raise ValueError("a packet needs at least one scorecard")
    steps = [HIRING_SIGNALS.index(e.signal) for e in entries]
    mean = sum(steps) / len(steps)
    decision_step = math.ceil(mean - 0.5)
    reasons: list[str] = []
    no_side = [e for e in entries if HIRING_SIGNALS.index(e.signal) <= 2]
    vetoes = [e for e in entries if e.signal == "strong no"]
    if vetoes and decision_step > 1:
        decision_step = 1
        reasons.append(f"A strong no in {vetoes[0].label} caps the decision at no.")
    elif len(no_side) >= 2 and decision_step > 2:
        decision_step = 2
        labels = " and ".join(e.label for e in no_side[:2])
        reasons.append(f"Two rounds leaned no ({labels}): the loop cannot pass as a yes.")
    best = max(entries, key=lambda e: (HIRING_SIGNALS.index(e.signal), e.overall))
    worst = min(entries, key=lambda e: (HIRING_SIGNALS.index(e.signal), e.overall))
    reasons.append(f"Strongest round: {best.label} ({best.signal}, {best.overall:.1f}/{best.max}).")
    if worst is not best:
        reasons.append(
            f"Weakest round: {worst.label} ({worst.signal}, {worst.overall:.1f}/{worst.max})."
        )
    yes_side = len(entries) - len(no_side)
    reasons.append(f"{yes_side} of {len(entries)} rounds on the yes side.")
    average = round_half_up(sum(e.overall for e in entries) / len(entries))
    return Packet(
        decision=HIRING_SIGNALS[decision_step],
        average=average,
        max=entries[0].max,
        entries=tuple(entries),
        reasons=tuple(reasons),
    )
