"""`finish_or_cancel`: work that ends in time is left to end; the rest is cancelled and has
unwound (its `finally` ran) before the caller goes on to close what it was using."""

from __future__ import annotations

import asyncio

from bot.shutdown import finish_or_cancel


async def test_quick_work_finishes_and_slow_work_is_unwound_before_the_return() -> None:
    unwound: list[str] = []

    async def work(name: str, seconds: float) -> None:
        try:
            await asyncio.sleep(seconds)
        finally:
            unwound.append(name)

    quick = asyncio.create_task(work("quick", 0.01))
    slow = asyncio.create_task(work("slow", 60))
    now = asyncio.get_running_loop().time()
    cancelled = await finish_or_cancel({quick, slow}, finish_by=now + 0.2, unwound_by=now + 1.2)
    assert cancelled == 1
    assert not quick.cancelled() and slow.cancelled()
    assert unwound == ["quick", "slow"]


async def test_nothing_under_way_returns_at_once() -> None:
    now = asyncio.get_running_loop().time()
    assert await finish_or_cancel(set(), finish_by=now + 5, unwound_by=now + 10) == 0
