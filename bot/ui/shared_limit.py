"""Discord's global limit (50 requests per second) is per bot token, not per process.

With BOT_REDIS_URL, every request a process sends (interaction replies excepted: Discord does
not count them) first reserves its slot in one bucket in Redis (a Lua script, atomic, timed by
the Redis server's clock so hosts' clocks do not matter) and sleeps until it; the hook is in
`shared_routes`, just before the request leaves, so retries count too. Without it, a process
running some of the shards paces its posts at a fixed share: rate + burst <= 50 x its shards /
all shards, so the processes together never put more than 50 posts in any one second.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time

import redis.asyncio as redis
from redis.exceptions import RedisError

from bot.settings import SettingsError
from bot.sharding import ShardPlan
from bot.ui.pacer import POSTING_LEASE_S, Pacer, PostsFirst

log = logging.getLogger(__name__)

GLOBAL_LIMIT_PER_SECOND = 50
# One process with every shard: 48/s and a bucket of two (any second holds at most 50).
WHOLE_BURST = 2
# Shared by processes on several hosts: 46/s and two, so the jitter between a grant and the
# request's arrival at Discord (other hosts, other links) cannot push a second past 50.
SHARED_RATE = 46.0
SHARED_BURST = 2

# KEYS[1]: the bucket. ARGV: rate per second, burst. Reserves the next free slot (GCRA: 'tat',
# the theoretical arrival time, moves one interval per request; a burst may start that many
# intervals early) and returns {microseconds to wait before sending, the slot's time in
# microseconds}. One call per request: hundreds waiting in a fan-out sleep until their slot
# instead of polling Redis together at every refill.
TOKEN_BUCKET = """
local interval = 1000000 / tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local tat = math.max(tonumber(redis.call('HGET', KEYS[1], 'tat')) or now, now)
local slot = math.max(now, tat - (burst - 1) * interval)
redis.call('HSET', KEYS[1], 'tat', string.format('%.0f', tat + interval))
redis.call('PEXPIRE', KEYS[1], math.floor((tat - now) / 1000) + 60000)
return {math.floor(slot - now), math.floor(slot)}
"""


# A fan-out has hundreds of requests reserving their slots at once; redis-py's default pool
# refuses the 101st ("Too many connections"), which would send it to the local fallback while
# the others still draw from the shared bucket. A bounded blocking pool queues them instead.
REDIS_CONNECTIONS = 16
REDIS_POOL_WAIT_S = 10.0


def shared_client(url: str) -> redis.Redis:
    pool = redis.BlockingConnectionPool.from_url(
        url, max_connections=REDIS_CONNECTIONS, timeout=REDIS_POOL_WAIT_S
    )
    return redis.Redis.from_pool(pool)


def share_of(shards: ShardPlan) -> float:
    return GLOBAL_LIMIT_PER_SECOND * len(shards.ids) / shards.count


def local_share(shards: ShardPlan) -> tuple[float, int]:
    """(rate, burst) for a process without Redis: its fixed share of the global limit. A share
    of one request a second or less cannot be kept without coordination: that needs Redis."""
    share = share_of(shards)
    burst = WHOLE_BURST if shards.everything else 1
    if share <= burst:
        raise SettingsError(
            f"{shards.describe()} is {share:.2f} of Discord's 50 requests per second: a process "
            "without BOT_REDIS_URL needs more than 1/50 of the shards (set BOT_REDIS_URL)"
        )
    return share - burst, burst


def bucket_key(token: str) -> str:
    """One bucket per bot token, named without revealing it."""
    return "discord:global:" + hashlib.sha256(token.encode()).hexdigest()[:16]


def raise_lost_cancel() -> None:
    """A cancel that reaches a task as its Redis reply arrives can be lost inside redis-py (seen
    at shutdown during a fan-out: cancelled requests went on to wait for the bucket and were sent
    after the HTTP session closed). The task still counts the cancel: raise it here."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


class RedisBucket:
    """The shared bucket. If Redis fails, a request waits for the process's fixed share of a
    second instead, so an outage slows the bot down rather than letting it exceed the limit."""

    def __init__(
        self,
        url: str,
        key: str,
        fallback: ShardPlan,
        *,
        rate: float = SHARED_RATE,
        burst: int = SHARED_BURST,
    ) -> None:
        self._client = shared_client(url)
        self._script = self._client.register_script(TOKEN_BUCKET)
        self._key = key
        self._rate = rate
        self._burst = burst
        # Without Redis the process keeps below its fixed share, with the same margin as the
        # shared bucket (46 of 50), so the processes together stay under the limit.
        self._fallback_interval = GLOBAL_LIMIT_PER_SECOND / (share_of(fallback) * rate)
        self._fallback_next = 0.0

    async def take(self) -> int:
        """Wait for this request's slot; returns the slot's Redis server time (microseconds)."""
        try:
            wait, slot = await self._script(keys=[self._key], args=[self._rate, self._burst])
        except (RedisError, OSError) as exc:
            log.warning("shared rate limit unavailable (%s); pacing at the local share", exc)
            await self._local_slot()
            return 0
        raise_lost_cancel()
        if int(wait) > 0:
            await asyncio.sleep(int(wait) / 1_000_000)
        return int(slot)

    async def _local_slot(self) -> None:
        """Concurrent callers leave one fallback interval apart, not all after one interval."""
        now = time.monotonic()
        start = max(now, self._fallback_next)
        self._fallback_next = start + self._fallback_interval
        await asyncio.sleep(start - now)

    async def aclose(self) -> None:
        await self._client.aclose()


# KEYS[1]: when the last post anywhere was sent, as a lease. ARGV: the lease in ms.
POSTING_LEASE_MS = round(POSTING_LEASE_S * 1000)


class RedisPostsFirst:
    """A post sent by any process renews one short lease in Redis; while it runs, every
    process holds its threads back, so every guild's post goes out before any thread. If Redis
    fails, each process orders only its own requests."""

    def __init__(self, client: redis.Redis, token: str) -> None:
        self._client = client
        self._key = bucket_key(token).replace(":global:", ":posting:")

    async def posting(self) -> None:
        with contextlib.suppress(RedisError, OSError):
            await self._client.set(self._key, "1", px=POSTING_LEASE_MS)

    async def anyone_posting(self) -> bool:
        try:
            return bool(await self._client.exists(self._key))
        except (RedisError, OSError):
            return False


def make_pacer(shards: ShardPlan, gate: PostsFirst | None = None) -> Pacer:
    """The pacer that orders this process's posts and threads (posts first). With a gate
    (Redis), every request also takes the shared bucket, so the pacer keeps the whole bot's
    rate and only orders."""
    rate, burst = local_share(ShardPlan() if gate is not None else shards)
    return Pacer(rate, burst=burst, gate=gate)
