"""The global limit shared by processes: fixed shares without Redis, one bucket with it."""

from __future__ import annotations

import asyncio
import random
import time
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import SettingsError
from bot.sharding import ShardPlan
from bot.ui.shared_limit import (
    GLOBAL_LIMIT_PER_SECOND,
    RedisBucket,
    bucket_key,
    local_share,
    share_of,
)
from tests.databases import redis_url


@given(st.integers(1, 200), st.randoms(use_true_random=False))
def test_fixed_shares_never_add_up_past_the_limit(count: int, rnd: random.Random) -> None:
    """However the shards are split among processes, the most any one second can hold (each
    process's rate plus its burst) sums to at most 50; a share too small to keep is refused."""
    shards = list(range(count))
    rnd.shuffle(shards)
    cuts = sorted(rnd.sample(range(1, count), rnd.randint(0, count - 1))) if count > 1 else []
    groups = [shards[a:b] for a, b in zip([0, *cuts], [*cuts, count], strict=True)]
    worst = 0.0
    for group in groups:
        plan = ShardPlan(count, frozenset(group))
        if share_of(plan) <= 1:
            with pytest.raises(SettingsError, match="BOT_REDIS_URL"):
                local_share(plan)
            continue
        rate, burst = local_share(plan)
        assert rate > 0 and burst >= 1
        worst += rate + burst
    assert worst <= GLOBAL_LIMIT_PER_SECOND + 1e-9


def test_one_process_with_every_shard_keeps_the_whole_limit() -> None:
    assert local_share(ShardPlan()) == (48.0, 2)
    assert local_share(ShardPlan(4, frozenset(range(4)))) == (48.0, 2)


def test_the_bucket_is_named_without_the_token() -> None:
    key = bucket_key("secret-token-value")
    assert "secret" not in key and key == bucket_key("secret-token-value")
    assert key != bucket_key("another-token")


needs_redis = pytest.mark.skipif(redis_url() is None, reason="BOT_TEST_REDIS_URL unset")


@needs_redis
async def test_processes_sharing_the_bucket_never_put_50_in_one_second() -> None:
    """Three clients (as three processes would) take 130 requests at once; by the Redis
    server's clock, no one-second window holds more than 50 grants."""
    url = redis_url()
    assert url is not None
    key = f"test:{uuid.uuid4().hex}"
    buckets = [RedisBucket(url, key, ShardPlan(3, frozenset({i}))) for i in range(3)]
    try:
        grants = await asyncio.gather(*(buckets[i % 3].take() for i in range(130)))
    finally:
        for bucket in buckets:
            await bucket.aclose()
    times = sorted(grants)
    assert all(t > 0 for t in times)
    busiest = max(
        sum(1 for t in times[i:] if t < start + 1_000_000) for i, start in enumerate(times)
    )
    assert busiest <= GLOBAL_LIMIT_PER_SECOND


@needs_redis
async def test_hundreds_waiting_at_once_all_draw_from_redis() -> None:
    """A 1000-guild fan-out has hundreds of requests waiting at once: every one is granted by
    the shared bucket (a Redis time), none falls back to the local share for want of a
    connection (redis-py's default pool refuses the 101st)."""
    url = redis_url()
    assert url is not None
    bucket = RedisBucket(url, f"test:{uuid.uuid4().hex}", ShardPlan(2, frozenset({0})), rate=5000)
    try:
        grants = await asyncio.gather(*(bucket.take() for _ in range(400)))
    finally:
        await bucket.aclose()
    assert all(t > 0 for t in grants)


@needs_redis
async def test_without_redis_the_local_share_paces_instead() -> None:
    bucket = RedisBucket("redis://127.0.0.1:1/0", "test:down", ShardPlan(50, frozenset({0})))
    try:
        assert await bucket.take() == 0  # not granted by Redis: paced at the local share
    finally:
        await bucket.aclose()


async def test_without_redis_concurrent_requests_are_paced_one_after_another() -> None:
    """Twenty requests at once from a process with half the shards, Redis down: they leave at
    its share (25/s less the margin), not all together after one interval."""
    bucket = RedisBucket("redis://127.0.0.1:1/0", "test:down", ShardPlan(2, frozenset({0})))
    started = time.monotonic()
    try:
        await asyncio.gather(*(bucket.take() for _ in range(20)))
    finally:
        await bucket.aclose()
    assert time.monotonic() - started >= 19 / share_of(ShardPlan(2, frozenset({0})))
