"""Which question a guild gets today: never a repeat until the round's pool is used up."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.content.schema import Difficulty, Round


@dataclass(frozen=True)
class Candidate:
    question_id: str
    round: Round
    difficulty: Difficulty


LOW_POOL_WARNING = 7


def pick_question(
    candidates: Sequence[Candidate],
    times_posted: Mapping[str, int],
    *,
    round_name: Round,
    difficulty: Difficulty | None,
    seed: str,
    reserved: frozenset[Difficulty] = frozenset(),
) -> Candidate | None:
    """Least-posted first (so nothing repeats before the pool is exhausted), then by difficulty.

    The difficulty is a preference: when no unposted question of that difficulty is left, any
    unposted question of the round is better than a repeat. `reserved` are the difficulties that
    have a day of their own in the rotation (`coding:easy`): a plain slot leaves them to that day,
    so the easy day does not run dry twice as fast, unless the round has nothing else.
    `seed` makes the draw reproducible.
    """
    pool = [c for c in candidates if c.round == round_name]
    if difficulty is None and reserved:
        pool = [c for c in pool if c.difficulty not in reserved] or pool
    if not pool:
        return None
    fewest = min(times_posted.get(c.question_id, 0) for c in pool)
    fresh = [c for c in pool if times_posted.get(c.question_id, 0) == fewest]
    if difficulty is not None:
        preferred = [c for c in fresh if c.difficulty == difficulty]
        fresh = preferred or fresh
    fresh.sort(key=lambda c: c.question_id)
    return random.Random(seed).choice(fresh)


def unposted_count(
    candidates: Sequence[Candidate], times_posted: Mapping[str, int], round_name: Round
) -> int:
    return sum(
        1 for c in candidates if c.round == round_name and times_posted.get(c.question_id, 0) == 0
    )
