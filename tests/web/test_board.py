"""The web companion's public board, served for real on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import random
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.domain.clock import ManualClock
from bot.store import Store
from bot.web.app import make_app
from bot.web.limits import RateLimiter
from bot.web.security import CSP
from tests.stores import NOW, award
from tests.stores import store as store  # the fixture
from tests.web.helpers import bank

pytestmark = pytest.mark.both_databases

GUILD = 1111
OTHER_GUILD = 2222


@pytest.fixture
async def site(store: Store) -> AsyncIterator[str]:
    server = TestServer(make_app(store, clock=ManualClock(NOW), bank=bank()), host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


async def give(store: Store, guild: int, user: int, amount: int, name: str, rnd: str) -> None:
    await award(store, guild, user, amount, name=name, ref=f"{user}-{rnd}", round_name=rnd)


async def get(url: str) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text(), dict(response.headers)


def names_on(page: str) -> list[str]:
    cells = re.findall(r"<tr><td>\d+</td><td>(.*?)</td><td>\d+</td></tr>", page)
    return [html.unescape(cell) for cell in cells]


async def test_a_board_is_404_until_its_admins_turn_it_on(store: Store, site: str) -> None:
    await give(store, GUILD, 1, 10, "ada", "coding")
    status, page, _ = await get(f"{site}/g/{GUILD}")
    assert status == 404 and "ada" not in page
    await store.web.set_public(GUILD, True, "Study Hall", NOW)
    status, page, _ = await get(f"{site}/g/{GUILD}")
    assert status == 200 and names_on(page) == ["ada"] and "Study Hall" in page
    await store.web.set_public(GUILD, False, "Study Hall", NOW)
    assert (await get(f"{site}/g/{GUILD}"))[0] == 404


async def test_hidden_members_never_appear_and_other_servers_stay_apart(
    store: Store, site: str
) -> None:
    await give(store, GUILD, 1, 30, "ada", "coding")
    await give(store, GUILD, 2, 20, "hidden grace", "coding")
    await give(store, OTHER_GUILD, 3, 50, "other server's linus", "coding")
    async with store.db.transaction() as conn:
        await conn.execute(
            "UPDATE members SET hidden = 1 WHERE guild_id = ? AND user_id = 2", (GUILD,)
        )
    await store.web.set_public(GUILD, True, "Study Hall", NOW)
    for query in ("", "?period=month", "?period=all", "?round=coding", "?season=2026-11"):
        status, page, _ = await get(f"{site}/g/{GUILD}{query}")
        assert status == 200, query
        assert names_on(page) == ["ada"], query
        assert "grace" not in page and "linus" not in page
    assert (await get(f"{site}/g/{OTHER_GUILD}"))[0] == 404


async def test_each_round_has_its_own_board(store: Store, site: str) -> None:
    await give(store, GUILD, 1, 30, "ada", "coding")
    await give(store, GUILD, 2, 20, "grace", "system_design")
    await store.web.set_public(GUILD, True, "Study Hall", NOW)
    assert names_on((await get(f"{site}/g/{GUILD}"))[1]) == ["ada", "grace"]
    assert names_on((await get(f"{site}/g/{GUILD}?round=system_design"))[1]) == ["grace"]


async def test_names_are_escaped(store: Store, site: str) -> None:
    await give(store, GUILD, 1, 30, "<script>alert(1)</script>", "coding")
    await store.web.set_public(GUILD, True, "<b>Hall</b>", NOW)
    _, page, _ = await get(f"{site}/g/{GUILD}")
    assert "<script>" not in page and "<b>Hall" not in page
    assert names_on(page) == ["<script>alert(1)</script>"]


async def test_every_page_carries_the_security_headers(store: Store, site: str) -> None:
    for path in ("/", f"/g/{GUILD}", "/no-such-page"):
        _, page, headers = await get(f"{site}{path}")
        assert headers["Content-Security-Policy"] == CSP, path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in headers  # plain http on loopback
        assert "<script" not in page


HOSTILE_PATHS = [
    "0",
    "-1",
    "1" * 30,
    "99999999999999999999",
    "abc",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    f"{GUILD}?period=year",
    f"{GUILD}?round=<script>",
    f"{GUILD}?season=2026-13",
    f"{GUILD}?season=1999-01",
    f"{GUILD}?season=" + "9" * 50,
    f"{GUILD}?period=all&round=coding&season=2026-11",
]


async def test_odd_ids_and_queries_get_a_clear_answer_never_a_crash(
    store: Store, site: str
) -> None:
    await give(store, GUILD, 1, 30, "ada", "coding")
    await store.web.set_public(GUILD, True, "Study Hall", NOW)
    rng = random.Random(20)
    generated = [
        "".join(rng.choice("0123456789abc/%?=&.-_") for _ in range(rng.randint(1, 30)))
        for _ in range(40)
    ]
    for path in HOSTILE_PATHS + generated:
        status, page, _ = await get(f"{site}/g/{path}")
        assert status in (200, 400, 404), path
        assert "Traceback" not in page


def test_the_rate_limit_counts_per_client_per_minute() -> None:
    limiter = RateLimiter(per_minute=3)
    assert [limiter.allow("a", now=60.0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b", now=60.5)
    assert limiter.allow("a", now=120.0)  # the next minute
