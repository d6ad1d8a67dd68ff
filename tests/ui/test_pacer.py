import asyncio
import time
import uuid

import pytest
import redis.asyncio as redis

from bot.ui.pacer import FOLLOW_UP, POST, POSTING_LEASE_S, Pacer
from bot.ui.shared_limit import RedisPostsFirst
from tests.databases import REDIS_URL_VARIABLE, redis_url


async def test_rate_is_respected_and_posts_go_first() -> None:
    pacer = Pacer(rate=100.0)
    order: list[str] = []

    async def take(label: str, priority: int) -> None:
        await pacer.acquire(priority)
        order.append(label)

    started = time.monotonic()
    await asyncio.gather(
        *(take(f"thread{i}", FOLLOW_UP) for i in range(5)),
        *(take(f"post{i}", POST) for i in range(10)),
    )
    elapsed = time.monotonic() - started
    assert elapsed >= 0.13  # 15 slots at 100/s with a burst of 1
    # The first caller found a token waiting; after that every post goes before any thread.
    assert order[0] == "thread0"
    assert [label[:4] for label in order[1:]] == ["post"] * 10 + ["thre"] * 4


async def test_idle_pacer_does_not_wait() -> None:
    pacer = Pacer(rate=2.0)
    started = time.monotonic()
    await pacer.acquire()
    assert time.monotonic() - started < 0.05


async def test_a_follow_up_waits_while_a_post_is_in_flight() -> None:
    """A post still waiting for its answer (say, for the shared bucket) holds threads back."""
    pacer = Pacer(rate=1000.0, burst=10)
    order: list[str] = []
    answered = asyncio.Event()

    async def post() -> None:
        async with pacer.slot(POST):
            await answered.wait()
            order.append("post answered")

    async def thread() -> None:
        async with pacer.slot(FOLLOW_UP):
            order.append("thread sent")

    posting = asyncio.create_task(post())
    await asyncio.sleep(0)  # the post holds its slot
    threading = asyncio.create_task(thread())
    await asyncio.sleep(0.1)
    assert order == []
    answered.set()
    await asyncio.gather(posting, threading)
    assert order == ["post answered", "thread sent"]


needs_redis = pytest.mark.skipif(redis_url() is None, reason=f"{REDIS_URL_VARIABLE} unset")


@needs_redis
async def test_another_process_holds_its_threads_while_one_still_posts() -> None:
    url = redis_url()
    assert url is not None
    client = redis.Redis.from_url(url)
    token = f"test-{uuid.uuid4().hex}"
    first = Pacer(rate=1000.0, burst=10, gate=RedisPostsFirst(client, token))
    second = Pacer(rate=1000.0, burst=10, gate=RedisPostsFirst(client, token))
    answered = asyncio.Event()
    order: list[str] = []

    async def post() -> None:
        async with first.slot(POST):
            await answered.wait()
            order.append("first's post answered")

    async def thread() -> None:
        async with second.slot(FOLLOW_UP):
            order.append("second's thread sent")

    try:
        posting = asyncio.create_task(post())
        await asyncio.sleep(0.05)  # the lease is taken
        threading = asyncio.create_task(thread())
        await asyncio.sleep(POSTING_LEASE_S * 2)  # longer than one lease: it is renewed
        assert order == []
        answered.set()
        await asyncio.gather(posting, threading)
    finally:
        await client.aclose()
    assert order == ["first's post answered", "second's thread sent"]


class SlowGate:
    """A gate whose `posting` (telling Redis about a post) takes until released."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.told = asyncio.Event()

    async def posting(self) -> None:
        self.told.set()
        await self.release.wait()

    async def anyone_posting(self) -> bool:
        return False


async def test_a_waiter_cancelled_during_its_grant_leaves_the_pump_serving_the_rest() -> None:
    """At shutdown a post waiting in the pacer is cancelled while the pump tells the gate of its
    grant: the pump goes on, and the next waiter is still served."""
    gate = SlowGate()
    pacer = Pacer(rate=1000.0, burst=1, gate=gate)
    await pacer.acquire(FOLLOW_UP)  # takes the only token: the next callers queue for the pump
    doomed = asyncio.create_task(pacer.acquire(POST))
    later = asyncio.create_task(pacer.acquire(FOLLOW_UP))
    await asyncio.wait_for(gate.told.wait(), 1.0)
    doomed.cancel()
    gate.release.set()
    await asyncio.wait_for(later, 1.0)
    assert doomed.cancelled()
