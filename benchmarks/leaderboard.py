"""Leaderboard and points at scale: 100,000 members and 2,000,000 graded answers in one guild.

Builds one guild's SQLite file (a year of daily posts, 20 answers per member, each with its
grade and its points), then measures through the bot's own store and services:

- a week's top 10 with the caller's rank (`LeaderboardService.board`, read from the per-period
  totals kept on write), beside the naive query: `SUM(amount) ... GROUP BY user_id` over the
  ledger of every answer's points in the week, and a second GROUP BY for the caller's rank;
- recording one graded answer with its points (save the answer, save the grade, award through
  `PointsService`: daily cap, totals triggers, streak bonus), beside the same without the
  totals (a plain ledger insert: what the naive read needs).

Prints p50 and p99 in milliseconds. Not part of the test suite.

    .venv/bin/python benchmarks/leaderboard.py [--members 100000] [--answers-each 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.content.loader import load_bank
from bot.domain.clock import ManualClock
from bot.domain.grading import Grade
from bot.domain.schedule import local_date
from bot.domain.streaks import week_key
from bot.services.catalog import Catalog
from bot.services.leaderboard import LeaderboardService
from bot.services.points import PointsService
from bot.store import Store
from bot.store.answers import GradeRecord
from bot.store.database import MIGRATIONS_DIR
from bot.store.sqlite import SqliteDatabase

GUILD = 1
ZONE = "Europe/Berlin"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
DAYS = 364
LEDGER_VERSION = 4  # the last migration before the totals (0005 backfills them)

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


def post_day(index: int) -> date:
    return (NOW - timedelta(days=DAYS - 1 - index)).astimezone(UTC).date()


def generate(path: Path, members: int, each: int, seed: int) -> None:
    """Bulk rows with executemany in one transaction, into a file at the ledger's version."""
    rng = random.Random(seed)
    rounds = ("coding", "system_design", "ml_design", "behavioral")
    detail = json.dumps({"overall": 0, "max": 5, "grader": "offline", "criteria": []})
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    iso = NOW.isoformat()
    conn.execute(
        "INSERT INTO guilds (guild_id, channel_id, post_time, timezone, created_at, updated_at) "
        "VALUES (?, 10, '09:00', ?, ?, ?)",
        (GUILD, ZONE, iso, iso),
    )
    conn.executemany(
        "INSERT INTO daily_posts (post_id, guild_id, local_date, question_id, round, channel_id, "
        "status, claimed_at, posted_at) VALUES (?, ?, ?, 'q', ?, 10, 'posted', ?, ?)",
        [(i + 1, GUILD, post_day(i).isoformat(), rounds[i % 4], iso, iso) for i in range(DAYS)],
    )
    conn.executemany(
        "INSERT INTO members (guild_id, user_id, display_name, hidden) VALUES (?, ?, ?, ?)",
        ((GUILD, u, f"member{u}", int(u % 50 == 0)) for u in range(1, members + 1)),
    )

    def answers() -> Iterator[tuple[object, ...]]:
        answer_id = 0
        for user in range(1, members + 1):
            for index in rng.sample(range(DAYS), each):
                answer_id += 1
                day = post_day(index).isoformat()
                yield (answer_id, GUILD, user, index + 1, day, f"{day}T10:00:00+00:00")

    rows = list(answers())
    conn.executemany(
        "INSERT INTO answers (answer_id, guild_id, user_id, post_id, question_id, source, "
        "content, status, local_date, submitted_at) "
        "VALUES (?, ?, ?, ?, 'q', 'daily', 'answer', 'graded', ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO grades (answer_id, revision, overall, max_score, grader, prompt_version, "
        "detail_json, created_at) VALUES (?, 1, ?, 5, 'offline', 'v1', ?, ?)",
        ((r[0], rng.randint(5, 50) / 10, detail, r[5]) for r in rows),
    )
    conn.executemany(
        "INSERT INTO points (guild_id, user_id, kind, ref, round, amount, local_date, "
        "earned_at) VALUES (?, ?, 'daily', ?, ?, ?, ?, ?)",
        (
            (GUILD, r[2], str(r[3]), rounds[(r[3] - 1) % 4], rng.randint(3, 20), r[4], r[5])
            for r in rows
        ),
    )
    conn.execute("COMMIT")
    conn.close()


async def build(path: Path, members: int, each: int) -> float:
    start = time.perf_counter()
    earlier = path.parent / "ledger-migrations"
    earlier.mkdir()
    for migration in sorted(MIGRATIONS_DIR.glob("*.sql"))[:LEDGER_VERSION]:
        shutil.copy(migration, earlier / migration.name)
    database = SqliteDatabase(path)
    await database.open()
    await database.migrate(earlier)
    await database.close()
    generate(path, members, each, seed=6)
    store = Store(path)  # the rest of the migrations; 0005 backfills the totals
    await store.open()
    # Start measuring from a settled file, as a bot does after its start-up.
    await store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    await store.close()
    return time.perf_counter() - start


async def measure(path: Path, members: int, runs: int, naive_runs: int) -> None:
    store = Store(path)
    await store.open()
    clock = ManualClock(NOW)
    points = PointsService(store, clock)
    board = LeaderboardService(store, clock, Catalog(load_bank(), store), points)
    rng = random.Random(7)
    today = local_date(NOW, ZoneInfo(ZONE))
    monday = week_key(today)[1:]
    # The naive query filters on the UTC instant the guild's week began, as the bot used to.
    since = datetime.combine(date.fromisoformat(monday), datetime.min.time(), ZoneInfo(ZONE))
    since_iso = since.astimezone(UTC).isoformat()
    week_rows = await store.db.fetchone(
        "SELECT COUNT(*) FROM points WHERE guild_id = ? AND local_date >= ?", (GUILD, monday)
    )
    print(f"week of {monday}: {week_rows[0] if week_rows else 0:,} answers' points in it")

    async def ours_read(_: int) -> None:
        page = await board.board(GUILD, rng.randint(1, members), "week", None)
        assert len(page.rows) == 10

    async def naive_read(_: int) -> None:
        caller = rng.randint(1, members)
        top = await store.db.fetchall(NAIVE_TOP, (GUILD, since_iso))
        above = await store.db.fetchone(NAIVE_RANK, (GUILD, since_iso, GUILD, caller, since_iso))
        assert len(list(top)) == 10 and above is not None

    first = await board.board(GUILD, 1, "week", None)
    naive_first = list(await store.db.fetchall(NAIVE_TOP, (GUILD, since_iso)))
    assert [(r.user_id, r.points) for r in first.rows] == [
        (r["user_id"], r["total"]) for r in naive_first
    ], "the totals disagree with the ledger"

    read = await timed(runs, ours_read)
    naive = await timed(naive_runs, naive_read)

    today_post = DAYS  # today's post id
    grade = Grade.from_dict({"overall": 4.2, "max": 5, "grader": "offline", "criteria": []})
    record = GradeRecord(4.2, 5, "offline", None, "v1", json.dumps(grade.to_dict()))

    async def ours_write(i: int) -> None:
        answer = await store.answers.save_daily(
            guild_id=GUILD,
            user_id=members + 1 + i,
            post_id=today_post,
            question_id="q",
            content="answer",
            locale=None,
            local_date=today.isoformat(),
            now=NOW,
        )
        await store.answers.save_grade(answer, record, NOW, delivered=True)
        await points.award_answer(answer, "coding", grade, 0)

    async def naive_write(i: int) -> None:
        user = members + 1 + runs + i
        answer = await store.answers.save_daily(
            guild_id=GUILD,
            user_id=user,
            post_id=today_post,
            question_id="q",
            content="answer",
            locale=None,
            local_date=today.isoformat(),
            now=NOW,
        )
        await store.answers.save_grade(answer, record, NOW, delivered=True)
        async with store.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO points (guild_id, user_id, kind, ref, round, amount, local_date, "
                "earned_at) VALUES (?, ?, 'daily', ?, 'coding', 15, ?, ?) "
                "ON CONFLICT (guild_id, user_id, kind, ref) DO UPDATE SET amount = excluded.amount",
                (GUILD, user, str(today_post), today.isoformat(), NOW.isoformat()),
            )

    write = await timed(runs, ours_write)
    # The naive write keeps no totals: drop the triggers that maintain them.
    async with store.db.transaction() as conn:
        for name in ("points_totals_insert", "points_totals_update", "points_totals_delete"):
            await conn.execute(f"DROP TRIGGER {name}")
    naive_w = await timed(runs, naive_write)
    await store.close()

    print()
    print("week top 10 + the caller's rank")
    print(f"  totals kept on write   {ms(read)}")
    print(f"  naive GROUP BY         {ms(naive)}")
    print("record one graded answer with its points")
    print(f"  with totals + streak   {ms(write)}")
    print(f"  naive (ledger only)    {ms(naive_w)}")
    met = p99(read) < GOAL_P99_MS and p99(write) < GOAL_P99_MS
    print(f"goal p99 < {GOAL_P99_MS:g} ms for both: {'met' if met else 'MISSED'}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--answers-each", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--naive-runs", type=int, default=100)
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
        await measure(path, args.members, args.runs, args.naive_runs)


if __name__ == "__main__":
    asyncio.run(main())
