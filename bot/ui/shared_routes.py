"""Discord's limits shared between processes: the global bucket and the per-route buckets.

With BOT_REDIS_URL, every request but an interaction reply takes a token from the global bucket
in Redis (`shared_limit.RedisBucket`) just before it leaves. A route's bucket (say, posting in
one channel) belongs to the bot token too, and discord.py learns buckets from the
`X-RateLimit-*` headers for its own process only: a response that empties a bucket
(`X-RateLimit-Remaining: 0`) or is refused with a per-route 429 marks the route in Redis until
the bucket resets, and every process waits out the mark before sending on that route. The hooks
are an aiohttp trace (discord.py's `http_trace`), whose request-start callback aiohttp awaits
before it sends.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from types import SimpleNamespace
from urllib.parse import urlsplit

import aiohttp
from redis.exceptions import RedisError

from bot.sharding import ShardPlan
from bot.ui.shared_limit import (
    RedisBucket,
    RedisPostsFirst,
    bucket_key,
    raise_lost_cancel,
    shared_client,
)

log = logging.getLogger(__name__)

# Discord's major parameters: a bucket is per route and per channel, guild or webhook.
MAJOR = re.compile(r"^/(channels|guilds|webhooks)/(\d+)")
SNOWFLAKE = re.compile(r"/\d{15,21}(?=/|$)")
API_PREFIX = re.compile(r"^/api/v\d+")
# Interaction callbacks and follow-ups are limited per interaction, not per token.
UNSHARED = ("/interactions/", "/webhooks/")
LONGEST_WAIT_S = 60.0


def route_key(method: str, url: str) -> str | None:
    """`POST /channels/123/messages` for a request; ids other than the major one are folded."""
    path = API_PREFIX.sub("", urlsplit(url).path)
    if path.startswith(UNSHARED):
        return None
    major = MAJOR.match(path)
    head = major.group(0) if major else ""
    return f"{method.upper()} {head}{SNOWFLAKE.sub('/{id}', path[len(head) :])}"


def mark_ms(status: int, headers: Mapping[str, str]) -> int:
    """How long the route stays closed after this response, in ms (0: it is open). `headers`
    must look names up case-insensitively, as aiohttp's do."""
    if status == 429 and headers.get("X-RateLimit-Scope") != "global":
        seconds = headers.get("X-RateLimit-Reset-After") or headers.get("Retry-After") or "1"
    elif headers.get("X-RateLimit-Remaining") == "0":
        seconds = headers.get("X-RateLimit-Reset-After", "0")
    else:
        return 0
    try:
        return max(0, round(float(seconds) * 1000))
    except ValueError:
        return 0


class SharedLimits:
    """The trace that takes the global token and waits out closed routes, in Redis. If Redis
    fails, the global bucket falls back to this process's fixed share, and routes go unshared
    (discord.py's own per-process buckets and 429 handling still apply)."""

    def __init__(self, url: str, token: str, shards: ShardPlan) -> None:
        self._client = shared_client(url)
        self._bucket = RedisBucket(url, bucket_key(token), shards)
        self.posts_first = RedisPostsFirst(self._client, token)
        self._prefix = bucket_key(token).replace(":global:", ":route:") + ":"
        self._warned = False
        self.trace = aiohttp.TraceConfig()
        self.trace.on_request_start.append(self._before)
        self.trace.on_request_end.append(self._after)

    async def _before(
        self, _: aiohttp.ClientSession, __: SimpleNamespace, params: aiohttp.TraceRequestStartParams
    ) -> None:
        key = route_key(params.method, str(params.url))
        if key is None:
            return
        try:
            remaining = await self._client.pttl(self._prefix + key)
        except (RedisError, OSError) as exc:
            self._unavailable(exc)
            remaining = 0
        raise_lost_cancel()
        if remaining > 0:
            await asyncio.sleep(min(remaining / 1000, LONGEST_WAIT_S))
        await self._bucket.take()

    async def _after(
        self, _: aiohttp.ClientSession, __: SimpleNamespace, params: aiohttp.TraceRequestEndParams
    ) -> None:
        key = route_key(params.method, str(params.url))
        closed_ms = mark_ms(params.response.status, params.response.headers)
        if key is None or closed_ms == 0:
            return
        try:
            await self._client.set(self._prefix + key, "1", px=closed_ms)
        except (RedisError, OSError) as exc:
            self._unavailable(exc)

    def _unavailable(self, exc: BaseException) -> None:
        if not self._warned:
            log.warning("shared route limits unavailable (%s); each process keeps its own", exc)
            self._warned = True

    async def aclose(self) -> None:
        await self._bucket.aclose()
        await self._client.aclose()


def shared_limits(redis_url: str | None, token: str, shards: ShardPlan) -> SharedLimits | None:
    return SharedLimits(redis_url, token, shards) if redis_url else None
