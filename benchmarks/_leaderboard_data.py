"""Building the leaderboard benchmark's guild: 100,000 members and 2,000,000 graded answers in
one SQLite file (a year of daily posts, 20 answers per member, each with its grade and points),
and the same rows in a PostgreSQL schema through `db copy`."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.store import Store
from bot.store.copy import copy_file_to
from bot.store.database import MIGRATIONS_DIR
from bot.store.sqlite import SqliteDatabase

GUILD = 1
ZONE = "Europe/Berlin"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
DAYS = 364
LEDGER_VERSION = 4  # the last migration before the totals (0005 backfills them)


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


@asynccontextmanager
async def postgres_copy(path: Path, url: str) -> AsyncIterator[tuple[str, float]]:
    """The SQLite guild copied into a schema of its own (dropped afterwards): (URL, seconds)."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
        located = f"{url}{'&' if '?' in url else '?'}search_path={schema}"
        start = time.perf_counter()
        await copy_file_to(path, located)
        yield located, time.perf_counter() - start
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await conn.close()
