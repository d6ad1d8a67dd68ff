"""Building the leaderboard benchmark's guild: 100,000 members and 2,000,000 graded answers in
one SQLite file (a year of daily posts, 20 answers per member, each with its grade and points),
and a guild of the same shape in a PostgreSQL schema: generated there in SQL (`generate_series`,
no row passes through Python: minutes where copying 2M answers row by row took over 25), or the
SQLite rows copied with `db copy`."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
import tempfile
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
from bot.store.database import MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR
from bot.store.postgres import PostgresDatabase
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
async def postgres_schema(url: str) -> AsyncIterator[str]:
    """A schema of its own (dropped afterwards): the URL that puts tables in it."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
        yield f"{url}{'&' if '?' in url else '?'}search_path={schema}"
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await conn.close()


async def postgres_copy(path: Path, located: str) -> None:
    """The SQLite guild itself, copied with `db copy`."""
    await copy_file_to(path, located)


# The same shape as `generate`: every member answers `each` distinct days of the year (spread
# evenly from a day of their own), grades 0.5-5.0, points 3-20, one member in 50 hidden. The
# parameters: $1 the guild, $2 the zone, $3 now, $4 the posts' days, $5 members, $6 answers
# each, $7 days, $8 a grade's detail.
GENERATE_SQL = (
    (
        "INSERT INTO guilds (guild_id, channel_id, post_time, timezone, created_at, updated_at) "
        "VALUES ($1, 10, '09:00', $2, $3, $3)",
        (1, 2, 3),
    ),
    (
        """
        INSERT INTO daily_posts (post_id, guild_id, local_date, question_id, round, channel_id,
            status, claimed_at, posted_at)
        SELECT d.i, $1, d.day, 'q', (ARRAY['coding', 'system_design', 'ml_design', 'behavioral'])
            [1 + (d.i - 1) % 4], 10, 'posted', $2, $2
        FROM unnest($3::TEXT[]) WITH ORDINALITY AS d (day, i)
        """,
        (1, 3, 4),
    ),
    (
        "INSERT INTO members (guild_id, user_id, display_name, hidden) "
        "SELECT $1, u, 'member' || u, (u % 50 = 0)::INT FROM generate_series(1, $2::BIGINT) AS u",
        (1, 5),
    ),
    (
        "CREATE TEMP TABLE bench_answers (answer_id BIGINT, user_id BIGINT, post_id BIGINT) "
        "ON COMMIT DROP",
        (),
    ),
    (
        """
        INSERT INTO bench_answers (answer_id, user_id, post_id)
        SELECT (u - 1) * $2 + k + 1, u, 1 + ((u * 7919) % $3 + k * ($3 / $2)) % $3
        FROM generate_series(1::BIGINT, $1::BIGINT) AS u,
            generate_series(0::BIGINT, $2::BIGINT - 1) AS k
        """,
        (5, 6, 7),
    ),
    (
        """
        INSERT INTO answers (answer_id, guild_id, user_id, post_id, question_id, source,
            content, status, local_date, submitted_at)
        SELECT a.answer_id, $1, a.user_id, a.post_id, 'q', 'daily', 'answer', 'graded',
            p.local_date, p.local_date || 'T10:00:00+00:00'
        FROM bench_answers AS a JOIN daily_posts AS p ON p.post_id = a.post_id
        """,
        (1,),
    ),
    (
        """
        INSERT INTO grades (answer_id, revision, overall, max_score, grader, prompt_version,
            detail_json, created_at)
        SELECT a.answer_id, 1, (5 + floor(random() * 46)) / 10, 5, 'offline', 'v1', $1,
            p.local_date || 'T10:00:00+00:00'
        FROM bench_answers AS a JOIN daily_posts AS p ON p.post_id = a.post_id
        """,
        (8,),
    ),
    (
        """
        INSERT INTO points (guild_id, user_id, kind, ref, round, amount, local_date, earned_at)
        SELECT $1, a.user_id, 'daily', a.post_id::TEXT, p.round, 3 + floor(random() * 18)::INT,
            p.local_date, p.local_date || 'T10:00:00+00:00'
        FROM bench_answers AS a JOIN daily_posts AS p ON p.post_id = a.post_id
        """,
        (1,),
    ),
    # The bot's own rows continue after the generated ids.
    (
        "SELECT setval(pg_get_serial_sequence('answers', 'answer_id'), MAX(answer_id)) "
        "FROM answers",
        (),
    ),
    (
        "SELECT setval(pg_get_serial_sequence('daily_posts', 'post_id'), MAX(post_id)) "
        "FROM daily_posts",
        (),
    ),
)


async def postgres_generated(located: str, members: int, each: int) -> None:
    """A guild of `generate`'s shape made in PostgreSQL itself, at the ledger's version; then
    the rest of the migrations (0005 backfills the totals, 0019 the counts) and VACUUM ANALYZE,
    as after any bulk load."""
    earlier = sorted(POSTGRES_MIGRATIONS_DIR.glob("*.sql"))[:LEDGER_VERSION]
    database = PostgresDatabase(located)
    await database.open()
    try:
        with tempfile.TemporaryDirectory() as folder:
            for migration in earlier:
                shutil.copy(migration, Path(folder) / migration.name)
            await database.migrate(Path(folder))
        detail = json.dumps({"overall": 0, "max": 5, "grader": "offline", "criteria": []})
        days = [post_day(i).isoformat() for i in range(DAYS)]
        args = (GUILD, ZONE, NOW.isoformat(), days, members, each, DAYS, detail)
        async with database.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT setseed(0.6)")
            for statement, numbers in GENERATE_SQL:
                await conn.execute(statement, *(args[n - 1] for n in numbers))
        await database.migrate()
        async with database.pool.acquire() as conn:
            for table in await database.tables():  # this schema's only: the database is shared
                await conn.execute(f"VACUUM ANALYZE {table}")
    finally:
        await database.close()
