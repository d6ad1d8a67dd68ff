"""The web companion's pages at scale: one guild of 100,000 members and 2,000,000 graded answers
(the leaderboard benchmark's guild), served by the real companion on loopback.

Prints p50 and p99 of the public board (week, month, all time) and of a member's progress page,
measured as a browser would see them (request to last byte), on SQLite and then on PostgreSQL (the
same guild copied with `db copy`). Goal: board p99 < 50 ms.

    .venv/bin/python benchmarks/web_pages.py [--members 100000] [--answers-each 20]
        [--postgres URL]   # default: $BOT_TEST_DATABASE_URL; none: SQLite only
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _leaderboard_data import GUILD, NOW, build, postgres_copy, postgres_schema

from bot.domain.clock import ManualClock
from bot.store import Store
from bot.web.app import make_app
from bot.web.auth import Session, SharedGuild, Signer
from bot.web.keys import LIMITER, SIGNER
from bot.web.limits import RateLimiter
from bot.web.login import SESSION_COOKIE

GOAL_P99_MS = 50.0
SECRET = "benchmark-only-key"


def figures(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000
    return (
        f"p50 {statistics.median(samples) * 1000:7.2f} ms   p99 {p99:7.2f} ms   (n={len(samples)})"
    )


async def timed(http: aiohttp.ClientSession, url: str, runs: int) -> list[float]:
    """After one warm-up request (templates compile on first use)."""
    async with http.get(url) as response:
        await response.read()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        async with http.get(url) as response:
            await response.read()
            assert response.status == 200, (url, response.status)
        samples.append(time.perf_counter() - start)
    return samples


def member_cookie(user_id: int) -> str:
    session = Session(
        user_id,
        f"member{user_id}",
        "en-US",
        (SharedGuild(GUILD, "Big Guild", False),),
        "csrf",
        "token",
        time.time() + 3600,
    )
    return Signer(SECRET).sign(session.to_payload())


async def measure(location: Path | str, runs: int) -> float:
    store = Store(location)
    await store.open()
    await store.web.set_public(GUILD, True, "Big Guild", datetime.now(UTC))
    app = make_app(store, clock=ManualClock(NOW))
    app[SIGNER] = Signer(SECRET)  # sessions signed by the benchmark, as a login would sign them
    # One client sends every request here: the per-client limit would answer 429 past 120/min.
    app[LIMITER] = RateLimiter(per_minute=1_000_000)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    worst = 0.0
    try:
        base = str(server.make_url("")).rstrip("/")
        async with aiohttp.ClientSession() as http:
            for period in ("week", "month", "all"):
                samples = await timed(http, f"{base}/g/{GUILD}?period={period}", runs)
                worst = max(worst, sorted(samples)[round(0.99 * (len(samples) - 1))] * 1000)
                print(f"board, {period:<5}     {figures(samples)}")
        cookies = {SESSION_COOKIE: member_cookie(7)}
        async with aiohttp.ClientSession(cookies=cookies) as http:
            samples = await timed(http, f"{base}/me/g/{GUILD}", max(5, runs // 10))
            print(f"member progress   {figures(samples)}")
    finally:
        await server.close()
        await store.close()
    return worst


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--answers-each", type=int, default=20)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--postgres", default=os.environ.get("BOT_TEST_DATABASE_URL"))
    parser.add_argument("--quick", action="store_true", help="small sizes, the same code path")
    args = parser.parse_args()
    if args.quick:
        args.members, args.answers_each, args.runs = 500, 5, 30
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "guild.db"
        seconds = await build(path, args.members, args.answers_each)
        print(
            f"{args.members:,} members, {args.members * args.answers_each:,} answers "
            f"(built in {seconds:.1f} s)"
        )
        print("\n== SQLite")
        worst = {"SQLite": await measure(path, args.runs)}
        if args.postgres:
            async with postgres_schema(args.postgres) as url:
                start = time.perf_counter()
                await postgres_copy(path, url)
                copy_seconds = time.perf_counter() - start
                print(f"\n== PostgreSQL (copied with db copy in {copy_seconds:.1f} s)")
                worst["PostgreSQL"] = await measure(url, args.runs)
        else:
            print("\n== PostgreSQL skipped: pass --postgres URL or set BOT_TEST_DATABASE_URL")
    for engine, p99 in worst.items():
        verdict = "met" if p99 < GOAL_P99_MS else "MISSED"
        print(f"{engine}: goal board p99 < {GOAL_P99_MS:g} ms: {verdict} (worst {p99:.2f} ms)")


if __name__ == "__main__":
    asyncio.run(main())
