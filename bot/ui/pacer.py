"""Keep the bot's own bursts under Discord's global limit, most important requests first.

Discord allows 50 requests per second per bot (interaction callbacks excepted). When many
guilds post at the same minute, sending everything at once would earn a wave of 429s (which
count towards Discord's invalid-request ban) and delay every post; pacing slightly below the
limit gets all of them out in close to the minimum time. Daily posts go before their
discussion threads, so the time until every guild has its question is what the limit allows.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable

POST = 0
FOLLOW_UP = 1


class Pacer:
    def __init__(
        self,
        rate: float,
        *,
        burst: int = 1,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._interval = 1.0 / rate
        self._burst = burst
        self._now = now
        self._tokens = float(burst)
        self._updated = now()
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._pump: asyncio.Task[None] | None = None

    def _refill(self) -> None:
        current = self._now()
        self._tokens = min(self._burst, self._tokens + (current - self._updated) / self._interval)
        self._updated = current

    async def acquire(self, priority: int = POST) -> None:
        """Wait for a slot; a lower `priority` number is served first."""
        self._refill()
        if not self._waiters and self._tokens >= 1:
            self._tokens -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._order), future))
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._release_in_order())
        await future

    async def _release_in_order(self) -> None:
        while self._waiters:
            self._refill()
            if self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) * self._interval)
                continue
            _, _, future = heapq.heappop(self._waiters)
            if future.cancelled():
                continue
            self._tokens -= 1
            future.set_result(None)
