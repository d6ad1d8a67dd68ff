"""The onsite loop: which rounds it has, and how a hiring committee weighs their scorecards."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Literal

from bot.content.schema import Difficulty, Round
from bot.domain.grading import HIRING_SIGNALS, HiringSignal, hiring_signal_for, round_half_up
from bot.i18n.messages import N_

LoopTrack = Literal["swe", "ml"]
LoopStatus = Literal["active", "complete", "abandoned"]


@dataclass(frozen=True)
class LoopStep:
    round: Round
    difficulty: Difficulty | None
    label: str


# Pinterest's loop: a coding screen, system design, then ML design (ML roles) or a second, deeper
# coding round (software roles), and behavioral.
_SCREEN = LoopStep("coding", "medium", N_("Coding screen"))
_DESIGN = LoopStep("system_design", None, N_("System design"))
_BEHAVIORAL = LoopStep("behavioral", None, N_("Behavioral"))
LOOP_PLANS: Final[dict[LoopTrack, tuple[LoopStep, ...]]] = {
    "swe": (_SCREEN, _DESIGN, LoopStep("coding", "hard", N_("Deep coding")), _BEHAVIORAL),
    "ml": (_SCREEN, _DESIGN, LoopStep("ml_design", None, N_("ML design")), _BEHAVIORAL),
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


TRACK_NAMES: Final[dict[LoopTrack, str]] = {
    # i18n: a mock interview loop's track: software engineering.
    "swe": N_("SWE"),
    # i18n: a mock interview loop's track: machine learning.
    "ml": N_("ML"),
}


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
class Reason:
    """One of the committee's reasons: a msgid of the `messages` catalog and its values (round
    labels, signals, scores), worded in the member's language where it is shown."""

    text: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text.format(**self.params)


@dataclass(frozen=True)
class Packet:
    decision: HiringSignal
    average: float
    max: int
    entries: tuple[PacketEntry, ...]
    reasons: tuple[Reason, ...]


def signal_of(signal: HiringSignal | None, overall: float) -> HiringSignal:
    return signal if signal is not None else hiring_signal_for(overall)


def _facts(entry: PacketEntry) -> dict[str, object]:
    return {
        "round": entry.label,
        "signal": entry.signal,
        "score": Score(entry.overall, entry.max),
    }


@dataclass(frozen=True)
class Score:
    """A score out of a maximum, written by the front end for the reader's locale."""

    overall: float
    max: int

    def __str__(self) -> str:
        return f"{self.overall:.1f}/{self.max}"


def committee_packet(entries: Sequence[PacketEntry]) -> Packet:
    """Weigh every round: the mean of the signals on the six-step scale, rounded down at a tie
    (a committee needs a clear yes), with vetoes: a strong no anywhere caps the decision at no,
    and two or more no-side rounds cap it at lean no."""
    if not entries:
        raise ValueError("a packet needs at least one scorecard")
    steps = [HIRING_SIGNALS.index(e.signal) for e in entries]
    mean = sum(steps) / len(steps)
    decision_step = math.ceil(mean - 0.5)
    reasons: list[Reason] = []
    no_side = [e for e in entries if HIRING_SIGNALS.index(e.signal) <= 2]
    vetoes = [e for e in entries if e.signal == "strong no"]
    if vetoes and decision_step > 1:
        decision_step = 1
        reasons.append(
            Reason(
                N_("A strong no in {round} caps the decision at no."), {"round": vetoes[0].label}
            )
        )
    elif len(no_side) >= 2 and decision_step > 2:
        decision_step = 2
        first, second = no_side[0].label, no_side[1].label
        reasons.append(
            Reason(
                N_("Two rounds leaned no ({first} and {second}): the loop cannot pass as a yes."),
                {"first": first, "second": second},
            )
        )
    best = max(entries, key=lambda e: (HIRING_SIGNALS.index(e.signal), e.overall))
    worst = min(entries, key=lambda e: (HIRING_SIGNALS.index(e.signal), e.overall))
    reasons.append(Reason(N_("Strongest round: {round} ({signal}, {score})."), _facts(best)))
    if worst is not best:
        reasons.append(Reason(N_("Weakest round: {round} ({signal}, {score})."), _facts(worst)))
    yes_side = len(entries) - len(no_side)
    reasons.append(
        Reason(
            N_("{yes} of {total} rounds on the yes side."), {"yes": yes_side, "total": len(entries)}
        )
    )
    average = round_half_up(sum(e.overall for e in entries) / len(entries))
    return Packet(
        decision=HIRING_SIGNALS[decision_step],
        average=average,
        max=entries[0].max,
        entries=tuple(entries),
        reasons=tuple(reasons),
    )
