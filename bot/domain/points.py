"""How much a piece of work is worth, and how much of it counts in one day.

Quality outweighs volume: the grade's share of the maximum is squared, so a 5/5 daily answer
earns 20 points and a 1/5 one 3; practice below half marks earns nothing; and a member's work
counts for at most `DAILY_CAP` points per local day (the streak bonus comes on top).
"""

from __future__ import annotations

import math
from typing import Final, Literal

DAILY_BASE: Final = 2
DAILY_QUALITY_MAX: Final = 18
HINT_PENALTY: Final = 2
DAILY_MINIMUM: Final = 1
PRACTICE_QUALITY_MAX: Final = 10
MOCK_BASE: Final = 10
MOCK_QUALITY_MAX: Final = 30
PEER_INTERVIEWER: Final = 15
PEER_CANDIDATE: Final = 10
FEEDBACK_GIVEN: Final = 5
STREAK_BONUS_PER_DAY: Final = 1
STREAK_BONUS_MAX: Final = 10
DAILY_CAP: Final = 60

# What the ledger's `kind` column holds. The streak bonus is not work: it neither counts toward
# the daily cap nor keeps a streak alive by itself.
KIND_DAILY: Final = "daily"
KIND_PRACTICE: Final = "practice"
KIND_STREAK: Final = "streak"
UNCAPPED_KINDS: Final = frozenset({KIND_STREAK})
NOT_ACTIVITY_KINDS: Final = frozenset({KIND_STREAK})


def _share(overall: float, max_score: int) -> float:
    return max(0.0, min(overall, max_score)) / max_score if max_score > 0 else 0.0


def _quality(overall: float, max_score: int, worth: int) -> int:
    """The grade's share squared, so each step up the scale is worth more than the last."""
    return math.floor(worth * _share(overall, max_score) ** 2 + 0.5)


def daily_answer_points(
    overall: float, max_score: int, hints_used: int, *, injection_attempt: bool = False
) -> int:
    """An answer that tried to instruct the grader earns the minimum, whatever its score."""
    if injection_attempt:
        return DAILY_MINIMUM
    quality = _quality(overall, max_score, DAILY_QUALITY_MAX)
    return max(DAILY_MINIMUM, DAILY_BASE + quality - HINT_PENALTY * hints_used)


def practice_answer_points(
    overall: float, max_score: int, *, injection_attempt: bool = False
) -> int:
    """Practice can be repeated at will, so only answers of at least half marks earn anything
    (and one that tried to instruct the grader earns nothing)."""
    if injection_attempt or _share(overall, max_score) < 0.5:
        return 0
    return _quality(overall, max_score, PRACTICE_QUALITY_MAX)


def mock_round_points(overall: float, max_score: int, *, injection_attempt: bool = False) -> int:
    """A finished mock round: worth more than a daily answer, and again quality-weighted (the
    base only when the candidate tried to instruct the grader)."""
    if injection_attempt:
        return MOCK_BASE
    return MOCK_BASE + _quality(overall, max_score, MOCK_QUALITY_MAX)


def peer_session_points(role: Literal["interviewer", "candidate"]) -> int:
    return PEER_INTERVIEWER if role == "interviewer" else PEER_CANDIDATE


def feedback_given_points() -> int:
    return FEEDBACK_GIVEN


def streak_bonus_points(streak_days: int) -> int:
    """Once per local day: one point per day of the streak beyond the first, up to a ceiling."""
    return max(0, min(STREAK_BONUS_MAX, STREAK_BONUS_PER_DAY * (streak_days - 1)))


def within_cap(amount: int, earned_today: int, cap: int = DAILY_CAP) -> int:
    """How much of `amount` still counts after `earned_today` capped points that day."""
    return max(0, min(amount, cap - earned_today))
