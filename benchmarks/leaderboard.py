"""Leaderboard and points at scale, SQLite beside PostgreSQL: 100,000 members and 2,000,000
graded answers in one guild.

Builds the guild in a SQLite file (see _leaderboard_data.py) and one of the same shape in
PostgreSQL when a URL is given (generated in SQL; `--pg-load copy` copies the SQLite file with
`db copy` instead, far slower at full size), and measures on each through the bot's own store and
services:

- top 10 with the caller's rank (`LeaderboardService.board`, read from the per-period totals
  kept on write) for the week, the month and all time; on SQLite also the naive query
  (`SUM(amount) ... GROUP BY user_id` over the ledger) it replaced;
- recording one graded answer with its points (save the answer, then the grade and its points in
  one transaction: daily cap, totals triggers; then `PointsService`'s streak bonus);
- graded answers committed per second with 1, 4 and 16 concurrent writers.

Prints p50 and p99 in milliseconds. Not part of the test suite.

    .venv/bin/python benchmarks/leaderboard.py [--members 100000] [--answers-each 20]
        [--postgres URL]   # default: $BOT_TEST_DATABASE_URL; none: SQLite only
        [--pg-load generate|copy] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from _leaderboard_data import (
    DAYS,
    GUILD,
    NOW,
    ZONE,
    build,
    postgres_copy,
    postgres_generated,
    postgres_schema,
)

from bot.content.loader import load_bank
from bot.domain.clock import ManualClock
from bot.domain.grading import Grade
from bot.domain.progress import Period, period_key
from bot.domain.schedule import local_date
from bot.domain.streaks import week_key
from bot.services.catalog import Catalog
from bot.services.leaderboard import LeaderboardService
from bot.services.points import PointsService
from bot.store import Store
from bot.store.answers import GradeRecord

NAIVE_TOP = """
SELECT p.user_id, COALESCE(m.display_name, CAST(p.user_id AS TEXT)) AS name,
       SUM(p.amount) AS total
FROM points p
LEFT JOIN members m ON m.guild_id = p.guild_id AND m.user_id = p.user_id
WHERE p.guild_id = ? AND p.earned_at >= ? AND COALESCE(m.hidden, 0) = 0
GROUP BY p.user_id
HAVING total > 0
ORDER BY total DESC, p.user_id
LIMIT 10
"""
NAIVE_RANK = """
SELECT COUNT(*) FROM (
    SELECT p.user_id, SUM(p.amount) AS total FROM points p
    LEFT JOIN members m ON m.guild_id = p.guild_id AND m.user_id = p.user_id
    WHERE p.guild_id = ? AND p.earned_at >= ? AND COALESCE(m.hidden, 0) = 0
    GROUP BY p.user_id
    HAVING total > (SELECT COALESCE(SUM(amount), 0) FROM points
                    WHERE guild_id = ? AND user_id = ? AND earned_at >= ?)
)
"""
# The caller's rank before migration 0019: every visible member above counted, one by one.
COUNTED_RANK = """
SELECT COUNT(*) AS n FROM points_totals
WHERE guild_id = ? AND period = ? AND round = '' AND hidden = 0 AND points > ?
"""
PERIODS: tuple[Period, ...] = ("week", "month", "all")
WRITERS = (1, 4, 16)
GOAL_P99_MS = 10.0


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000


def ms(samples: list[float]) -> str:
    p50 = statistics.median(samples) * 1000
    return f"p50 {p50:8.2f} ms   p99 {p99(samples):8.2f} ms   (n={len(samples)})"


async def timed(runs: int, step: Callable[[int], Awaitable[object]]) -> list[float]:
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        await step(i)
        samples.append(time.perf_counter() - start)
    return samples


class Bench:
    """One engine's store and services, and a supply of members who have not answered today."""

    def __init__(self, store: Store, members: int) -> None:
        self.store = store
        self.members = members
        clock = ManualClock(NOW)
        self.points = PointsService(store, clock)
        self.board = LeaderboardService(store, clock, Catalog(load_bank(), store), self.points)
        self.today = local_date(NOW, ZoneInfo(ZONE))
        self._new_users = itertools.count(members + 1)
        grade = Grade.from_dict({"overall": 4.2, "max": 5, "grader": "offline", "criteria": []})
        self.grade = grade
        self.record = GradeRecord(4.2, 5, "offline", None, "v1", json.dumps(grade.to_dict()))

    async def read(self, period: Period, runs: int) -> list[float]:
        rng = random.Random(7)

        async def one(_: int) -> None:
            page = await self.board.board(GUILD, rng.randint(1, self.members), period, None)
            assert len(page.rows) == 10

        return await timed(runs, one)

    async def read_counted(self, period: Period, runs: int) -> list[float]:
        """The same reads as `read` (top 10 + the caller's rank), the rank counted as before
        0019: the figure the members per points value replaced."""
        rng, key = random.Random(7), period_key(period, self.today)

        async def one(_: int) -> None:
            caller = rng.randint(1, self.members)
            top = await self.store.points.page(GUILD, key, "", offset=0, limit=11)
            totals = await self.store.points.totals(GUILD, caller, (key,))
            points = totals.get((key, ""), 0)
            above = await self.store.db.fetchone(COUNTED_RANK, (GUILD, key, points))
            assert len(top) == 11 and above is not None

        return await timed(runs, one)

    async def record_answer(self, _: int = 0) -> None:
        answer = await self.store.answers.save_daily(
            guild_id=GUILD,
            user_id=next(self._new_users),
            post_id=DAYS,  # today's post
            question_id="q",
            content="answer",
            locale=None,
            local_date=self.today.isoformat(),
            now=NOW,
        )
        claim = await self.points.answer_claim(answer, "coding", self.grade, 0)
        saved = await self.store.answers.save_grade(
            answer,
            self.record,
            NOW,
            delivered=True,
            points=claim,
            milestone_roles=self.points.gives_milestone_roles,
        )
        assert saved is not None and saved.awarded is not None
        await self.points.after_award(claim, saved.awarded, saved.rewards)

    async def committed_per_second(self, writers: int, total: int) -> float:
        each = max(1, total // writers)

        async def writer() -> None:
            for _ in range(each):
                await self.record_answer()

        start = time.perf_counter()
        await asyncio.gather(*(writer() for _ in range(writers)))
        return writers * each / (time.perf_counter() - start)


async def naive_week(bench: Bench, runs: int) -> list[float]:
    """The GROUP BY the totals replaced (SQLite only: it filters on the week's UTC start)."""
    store, rng = bench.store, random.Random(7)
    monday = week_key(bench.today)[1:]
    since = datetime.combine(date.fromisoformat(monday), datetime.min.time(), ZoneInfo(ZONE))
    since_iso = since.astimezone(UTC).isoformat()
    first = await bench.board.board(GUILD, 1, "week", None)
    naive_first = list(await store.db.fetchall(NAIVE_TOP, (GUILD, since_iso)))
    assert [(r.user_id, r.points) for r in first.rows] == [
        (r["user_id"], r["total"]) for r in naive_first
    ], "the totals disagree with the ledger"

    async def one(_: int) -> None:
        caller = rng.randint(1, bench.members)
        top = await store.db.fetchall(NAIVE_TOP, (GUILD, since_iso))
        above = await store.db.fetchone(NAIVE_RANK, (GUILD, since_iso, GUILD, caller, since_iso))
        assert len(list(top)) == 10 and above is not None

    return await timed(runs, one)


async def measure(location: Path | str, args: argparse.Namespace) -> dict[str, float]:
    """Print one engine's figures; returns the p99s the goal is judged on."""
    store = Store(location)
    await store.open()
    bench = Bench(store, args.members)
    p99s: dict[str, float] = {}
    try:
        print("top 10 + the caller's rank")
        for period in PERIODS:
            samples = await bench.read(period, args.runs)
            p99s[f"board {period}"] = p99(samples)
            print(f"  {period:<6} totals kept on write  {ms(samples)}")
        for period in PERIODS:
            samples = await bench.read_counted(period, args.runs)
            p99s[f"counted {period}"] = p99(samples)
            print(f"  {period:<6} rank counted (<0019)  {ms(samples)}")
        if store.db.engine == "sqlite":
            print(f"  week   naive GROUP BY         {ms(await naive_week(bench, args.naive_runs))}")
        samples = await timed(args.runs, bench.record_answer)
        p99s["record"] = p99(samples)
        print(f"record one graded answer with its points  {ms(samples)}")
        for writers in WRITERS:
            rate = await bench.committed_per_second(writers, args.runs)
            print(f"  {writers:>2} concurrent writers: {rate:8.0f} graded answers committed/s")
    finally:
        await store.close()
    return p99s


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--answers-each", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--naive-runs", type=int, default=100)
    parser.add_argument("--postgres", default=os.environ.get("BOT_TEST_DATABASE_URL"))
    parser.add_argument("--pg-load", choices=("generate", "copy"), default="generate")
    parser.add_argument("--quick", action="store_true", help="small sizes, the same code path")
    args = parser.parse_args()
    if args.quick:
        args.members, args.answers_each, args.runs, args.naive_runs = 500, 5, 50, 5
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "guild.db"
        seconds = await build(path, args.members, args.answers_each)
        size = path.stat().st_size / 2**20
        total = args.members * args.answers_each
        print(
            f"{args.members:,} members, {total:,} answers: built in {seconds:.1f} s, {size:.0f} MiB"
        )
        print("\n== SQLite")
        results = {"SQLite": await measure(path, args)}
        if args.postgres:
            async with postgres_schema(args.postgres) as url:
                start = time.perf_counter()
                if args.pg_load == "copy":
                    # Copied after the SQLite run: both engines read the same guild (plus the
                    # answers SQLite's write measurements added, a fraction of a percent).
                    await postgres_copy(path, url)
                else:
                    await postgres_generated(url, args.members, args.answers_each)
                loaded = f"{args.pg_load} in {time.perf_counter() - start:.1f} s"
                print(f"\n== PostgreSQL (loaded: {loaded})")
                results["PostgreSQL"] = await measure(url, args)
        else:
            print("\n== PostgreSQL skipped: pass --postgres URL or set BOT_TEST_DATABASE_URL")
    print_table(results)


def print_table(results: dict[str, dict[str, float]]) -> None:
    """The goal's figures, the engines side by side, with the machine's load (shared cores
    make p99 noisy)."""
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(f"\np99 in ms (load average {load} on {os.cpu_count()} cores)")
    engines = list(results)
    print(f"{'':<32}" + "".join(f"{engine:>12}" for engine in engines))
    rows = [(f"board {p}", f"top 10 + rank, {p}") for p in PERIODS]
    rows += [(f"counted {p}", f"  before 0019 (counted), {p}") for p in PERIODS]
    for name, label in [*rows, ("record", "record a graded answer")]:
        print(f"{label:<32}" + "".join(f"{results[e][name]:>12.2f}" for e in engines))
    for engine, figures in results.items():
        p99s = {name: ms for name, ms in figures.items() if not name.startswith("counted")}
        worst = max(p99s, key=p99s.__getitem__)
        verdict = "met" if p99s[worst] < GOAL_P99_MS else "MISSED"
        figure = f"worst: {worst} {p99s[worst]:.2f} ms"
        print(f"{engine}: goal p99 < {GOAL_P99_MS:g} ms: {verdict} ({figure})")


if __name__ == "__main__":
    asyncio.run(main())
