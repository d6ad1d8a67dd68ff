"""Per-route buckets shared by processes through Redis: a route one process emptied is waited out
by the others instead of being hit with a 429."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st
from multidict import CIMultiDict

from bot.sharding import ShardPlan
from bot.ui.shared_routes import SharedLimits, mark_ms, route_key
from emulator import DiscordEmulator
from tests.conftest import build_world
from tests.databases import REDIS_URL_VARIABLE, redis_url

snowflakes = st.integers(10**16, 2**63 - 1).map(str)


@given(snowflakes, snowflakes, st.sampled_from(["GET", "post", "PATCH"]))
def test_a_route_keeps_its_major_id_and_folds_the_others(
    channel: str, message: str, method: str
) -> None:
    url = f"https://discord.com/api/v10/channels/{channel}/messages/{message}"
    assert route_key(method, url) == f"{method.upper()} /channels/{channel}/messages/{{id}}"


@given(snowflakes, st.text(alphabet="abcdefXYZ0123456789_-", min_size=10, max_size=80))
def test_interaction_replies_are_not_shared(interaction: str, token: str) -> None:
    assert (
        route_key("POST", f"http://127.0.0.1/api/v10/interactions/{interaction}/{token}/callback")
        is None
    )
    assert route_key("PATCH", f"http://127.0.0.1/api/v10/webhooks/{interaction}/{token}") is None


@pytest.mark.parametrize(
    ("status", "headers", "closed_ms"),
    [
        (200, {"x-ratelimit-remaining": "3", "x-ratelimit-reset-after": "0.5"}, 0),
        (200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset-after": "0.25"}, 250),
        (429, {"x-ratelimit-scope": "user", "x-ratelimit-reset-after": "1.5"}, 1500),
        (429, {"x-ratelimit-scope": "shared", "retry-after": "2"}, 2000),
        (429, {"x-ratelimit-scope": "global", "retry-after": "2"}, 0),
        (200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset-after": "soon"}, 0),
    ],
)
def test_only_an_empty_bucket_or_a_route_429_closes_the_route(
    status: int, headers: dict[str, str], closed_ms: int
) -> None:
    # Real Discord answers over HTTP/2 in lower case; the emulator in title case.
    assert mark_ms(status, CIMultiDict(headers)) == closed_ms
    assert mark_ms(status, CIMultiDict({k.title(): v for k, v in headers.items()})) == closed_ms


@asynccontextmanager
async def process(
    emu: DiscordEmulator, routes: SharedLimits | None, answered: asyncio.Queue[int]
) -> AsyncIterator[discord.http.HTTPClient]:
    """What one bot process's REST client is: discord.py's, with the shared trace when shared.
    Each answer's status goes to `answered` once the shared trace has handled it."""
    trace = routes.trace if routes is not None else aiohttp.TraceConfig()

    async def seen(_: object, __: object, params: aiohttp.TraceRequestEndParams) -> None:
        answered.put_nowait(params.response.status)

    trace.on_request_end.append(seen)
    discord.http.Route.BASE = emu.api_base_url
    http = discord.http.HTTPClient(asyncio.get_running_loop(), http_trace=trace)
    await http.static_login("emulator-token")
    try:
        yield http
    finally:
        await http.close()
        if routes is not None:
            await routes.aclose()


async def post(http: discord.http.HTTPClient, channel_id: int, text: str) -> None:
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
    await http.request(route, json={"content": text})


@pytest.mark.skipif(redis_url() is None, reason=f"{REDIS_URL_VARIABLE} unset")
@pytest.mark.parametrize("shared", [True, False], ids=["shared", "unshared"])
async def test_a_second_process_waits_out_a_bucket_the_first_emptied(shared: bool) -> None:
    """The first process empties the channel's bucket (it holds 3); the second posts there the
    moment the third answer is in, while discord.py in the first still waits for the reset."""
    url = redis_url()
    assert url is not None
    token = f"test-{uuid.uuid4().hex}"  # a bucket namespace of this test's own
    first_answers: asyncio.Queue[int] = asyncio.Queue()
    async with DiscordEmulator(route_rate_limit=3) as emu:
        world = build_world(emu)
        first_routes = SharedLimits(url, token, ShardPlan()) if shared else None
        second_routes = SharedLimits(url, token, ShardPlan()) if shared else None
        async with (
            process(emu, first_routes, first_answers) as first,
            process(emu, second_routes, asyncio.Queue()) as second,
        ):
            await first_answers.get()  # the login
            posting = asyncio.gather(*(post(first, world.daily.id, f"first {i}") for i in range(3)))
            assert [await first_answers.get() for _ in range(3)] == [200, 200, 200]
            await post(second, world.daily.id, "second")
            await posting
        posted = sorted(m.content for m in emu.messages(world.daily))
        assert posted == ["first 0", "first 1", "first 2", "second"]
        # Unshared, the second process learns of the empty bucket from a 429 (and retries).
        assert emu.stats["route_rate_limited"] == (0 if shared else 1)
