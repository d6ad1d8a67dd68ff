"""How much a piece of work is worth. Quality outweighs volume: a 5/5 answer earns 2.5x a 1/5."""

from __future__ import annotations

DAILY_BASE = 5
DAILY_QUALITY_MAX = 15
HINT_PENALTY = 2
DAILY_MINIMUM = 1


def daily_answer_points(overall: float, max_score: int, hints_used: int) -> int:
    quality = round(DAILY_QUALITY_MAX * max(0.0, min(overall, max_score)) / max_score)
    return max(DAILY_MINIMUM, DAILY_BASE + quality - HINT_PENALTY * hints_used)
