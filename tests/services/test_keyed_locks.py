"""Per-key locks: one holder per key at a time, and no entry left once nobody holds or waits."""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.keyed_locks import KeyedLocks


def _run(keys: list[int]) -> tuple[int, int, bool]:
    async def scenario() -> tuple[int, int, bool]:
        locks = KeyedLocks()
        holding: dict[int, int] = {}
        overlap = False
        peak = 0

        async def work(key: int) -> None:
            nonlocal overlap, peak
            async with locks.hold(key):
                holding[key] = holding.get(key, 0) + 1
                overlap = overlap or holding[key] > 1
                peak = max(peak, len(locks))
                assert locks.locked(key)
                await asyncio.sleep(0)
                holding[key] -= 1

        await asyncio.gather(*(work(key) for key in keys))
        return len(locks), peak, overlap

    return asyncio.run(scenario())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5), max_size=40))
def test_one_holder_per_key_and_nothing_left_behind(keys: list[int]) -> None:
    left, peak, overlap = _run(keys)
    assert not overlap
    assert left == 0
    assert peak <= len(set(keys))


async def test_a_failing_holder_releases_its_entry() -> None:
    locks = KeyedLocks()
    try:
        async with locks.hold("round"):
            raise ValueError("turn failed")
    except ValueError:
        pass
    assert len(locks) == 0 and not locks.locked("round")
