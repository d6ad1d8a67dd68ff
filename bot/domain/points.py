"""How much a piece of work is worth. Quality outweighs volume: a 5/5 answer earns 2.5x a 1/5."""

from __future__ import annotations

from typing import Literal

DAILY_BASE = 5
DAILY_QUALITY_MAX = 15
HINT_PENALTY = 2
DAILY_MINIMUM = 1
MOCK_BASE = 10
MOCK_QUALITY_MAX = 30
PEER_INTERVIEWER = 15
PEER_CANDIDATE = 10
FEEDBACK_GIVEN = 5


def _quality(overall: float, max_score: int, worth: int) -> int:
    return round(worth * max(0.0, min(overall, max_score)) / max_score)


def daily_answer_points(overall: float, max_score: int, hints_used: int) -> int:
    quality = _quality(overall, max_score, DAILY_QUALITY_MAX)
    return max(DAILY_MINIMUM, DAILY_BASE + quality - HINT_PENALTY * hints_used)


def mock_round_points(overall: float, max_score: int) -> int:
    """A finished mock round: worth more than a daily answer, and again quality-weighted."""
    return MOCK_BASE + _quality(overall, max_score, MOCK_QUALITY_MAX)


def peer_session_points(role: Literal["interviewer", "candidate"]) -> int:
    return PEER_INTERVIEWER if role == "interviewer" else PEER_CANDIDATE


def feedback_given_points() -> int:
    return FEEDBACK_GIVEN
