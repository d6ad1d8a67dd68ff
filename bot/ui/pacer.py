"""Keep the bot's own bursts under Discord's global limit, most important requests first.

Discord allows 50 requests per second per bot (interaction callbacks excepted). When many
guilds post at the same minute, sending everything at once would earn a wave of 429s (which
count towards Discord's invalid-request ban) and delay every post; pacing slightly below the
limit gets all of them out in close to the minimum time. Daily posts go before their
discussion threads, so the time until every guild has its question is what the limit allows:
a thread waits while posts are still being sent (one is in flight, or one went out within the
last POSTING_LEASE_S; with a `gate` shared by processes, in any process).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Protocol

POST = 0
FOLLOW_UP = 1
# A fan-out's posts come a few milliseconds apart (each claims its post in the database
# first); while one came this recently, the fan-out is still going and follow-ups wait.
POSTING_LEASE_S = 0.3
# How often a held follow-up looks again.
HOLD_POLL_S = 0.05


class PostsFirst(Protocol):
    """Posts before follow-ups across processes: each says when it sends a post."""

    async def posting(self) -> None: ...

    async def anyone_posting(self) -> bool: ...


class Pacer:
    def __init__(
        self,
        rate: float,
        *,
        burst: int = 1,
        now: Callable[[], float] = time.monotonic,
        gate: PostsFirst | None = None,
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
        self._gate = gate
        self._last_post = -POSTING_LEASE_S
        self._posts_in_flight = 0
        self._renewing: asyncio.Task[None] | None = None

    @asynccontextmanager
    async def slot(self, priority: int = POST) -> AsyncIterator[None]:
        """A paced request, from its slot until its answer: while a post is in flight (it may
        still wait for the shared bucket), every process's follow-ups wait."""
        await self.acquire(priority)
        if priority != POST:
            yield
            return
        self._posts_in_flight += 1
        if self._gate is not None and (self._renewing is None or self._renewing.done()):
            self._renewing = asyncio.create_task(self._renew(self._gate))
        try:
            yield
        finally:
            self._posts_in_flight -= 1
            self._last_post = self._now()

    async def _renew(self, gate: PostsFirst) -> None:
        while self._posts_in_flight > 0:
            await gate.posting()
            await asyncio.sleep(POSTING_LEASE_S / 3)

    def _refill(self) -> None:
        current = self._now()
        self._tokens = min(self._burst, self._tokens + (current - self._updated) / self._interval)
        self._updated = current

    async def acquire(self, priority: int = POST) -> None:
        """Wait for a slot; a lower `priority` number is served first."""
        self._refill()
        if not self._waiters and self._tokens >= 1 and not await self._held(priority):
            self._tokens -= 1
            await self._granted(priority)
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
            if await self._held(self._waiters[0][0]):
                await asyncio.sleep(HOLD_POLL_S)
                continue
            priority, _, future = heapq.heappop(self._waiters)
            if future.cancelled():
                continue
            self._tokens -= 1
            await self._granted(priority)
            # Its waiter may have been cancelled while the grant was told to Redis (a shutdown
            # mid fan-out); setting it would kill the pump and strand every later waiter.
            if not future.done():
                future.set_result(None)

    async def _held(self, priority: int) -> bool:
        """A follow-up waits while posts are still being sent, here or elsewhere."""
        if priority == POST:
            return False
        if self._posts_in_flight or self._now() - self._last_post < POSTING_LEASE_S:
            return True
        return self._gate is not None and await self._gate.anyone_posting()

    async def _granted(self, priority: int) -> None:
        if priority != POST:
            return
        self._last_post = self._now()
        if self._gate is not None:
            await self._gate.posting()
