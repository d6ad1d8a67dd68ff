"""The onsite loop's plan and the committee's weighing of scorecards."""

from __future__ import annotations

import pytest

from bot.domain.grading import HiringSignal
from bot.domain.mock_loop import (
    LOOP_PLANS,
    LoopTrack,
    PacketEntry,
    committee_packet,
    next_position,
    track_fixed_by,
)


def entry(label: str, signal: HiringSignal, overall: float = 3.0) -> PacketEntry:
    return PacketEntry(label, f"{label} question", overall, 5, signal, 1, None)


def test_plans_follow_the_onsite_loop() -> None:
    assert [s.round for s in LOOP_PLANS["swe"]] == [
        "coding",
        "system_design",
        "coding",
        "behavioral",
    ]
    assert [s.round for s in LOOP_PLANS["ml"]][2] == "ml_design"
    assert next_position(LOOP_PLANS["ml"], {0, 2}) == 1
    assert next_position(LOOP_PLANS["ml"], {0, 1, 2, 3}) is None


@pytest.mark.parametrize(
    ("signals", "decision"),
    [
        (["yes", "yes", "yes", "yes"], "yes"),
        (["strong yes", "yes", "yes", "lean yes"], "yes"),
        (["lean yes", "lean yes", "lean no", "lean no"], "lean no"),  # a tie rounds down
        (["strong yes", "strong yes", "strong yes", "strong no"], "no"),  # the veto
        (["strong yes", "strong yes", "lean no", "no"], "lean no"),  # two no-side rounds
        (["lean yes"], "lean yes"),
    ],
)
def test_committee_decision(signals: list[HiringSignal], decision: str) -> None:
    packet = committee_packet([entry(f"R{i}", s) for i, s in enumerate(signals)])
    assert packet.decision == decision


def test_packet_explains_itself() -> None:
    packet = committee_packet(
        [
            entry("Coding screen", "yes", 4.0),
            entry("System design", "strong no", 1.0),
            entry("Behavioral", "strong yes", 4.6),
        ]
    )
    assert packet.decision == "no"
    assert packet.average == 3.2 and packet.max == 5
    assert any("strong no in System design" in r for r in map(str, packet.reasons))
    assert any(r.startswith("Strongest round: Behavioral") for r in map(str, packet.reasons))
    assert any(r.startswith("Weakest round: System design") for r in map(str, packet.reasons))
    with pytest.raises(ValueError):
        committee_packet([])


@pytest.mark.parametrize("current,wanted", [("swe", "ml"), ("ml", "swe")])
def test_a_loop_switches_track_until_a_round_of_its_own_has_started(
    current: LoopTrack, wanted: LoopTrack
) -> None:
    own = next(p for p, step in enumerate(LOOP_PLANS[current]) if step != LOOP_PLANS[wanted][p])
    shared = set(range(len(LOOP_PLANS[current]))) - {own}
    assert track_fixed_by(current, wanted, shared) is None
    assert track_fixed_by(current, wanted, {own}) == LOOP_PLANS[current][own]
