"""The store on real SQLite files: migrations, exactly-once claims, crash safety."""

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.store import DatabaseTooNew, Store
from bot.store.database import migration_files
from bot.store.sqlite import SqliteDatabase

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def test_fresh_database_gets_every_migration_and_pragmas(tmp_path: Path) -> None:
    store = Store(tmp_path / "nested" / "bot.db")
    applied = await store.open()
    try:
        latest = migration_files()[-1][0]
        assert applied == list(range(1, latest + 1))
        assert await store.db.user_version() == latest
        journal = await store.db.fetchone("PRAGMA journal_mode")
        foreign = await store.db.fetchone("PRAGMA foreign_keys")
        assert journal is not None and journal[0] == "wal"
        assert foreign is not None and foreign[0] == 1
    finally:
        await store.close()


async def test_restart_applies_no_migration_twice(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    first = Store(path)
    await first.open()
    await first.meta.set("marker", "kept")
    await first.close()
    second = Store(path)
    assert await second.open() == []
    assert await second.meta.get("marker") == "kept"
    await second.close()


async def test_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    db = SqliteDatabase(path)
    await db.open()
    await db.conn.execute("PRAGMA user_version = 999")
    await db.close()
    store = Store(path)
    with pytest.raises(DatabaseTooNew, match="schema version 999"):
        await store.open()


async def test_failed_migration_rolls_back_whole(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (migrations / "0002_broken.sql").write_text("CREATE TABLE b (x INTEGER);\nNOT SQL AT ALL;")
    db = SqliteDatabase(tmp_path / "bot.db")
    await db.open()
    with pytest.raises(Exception, match="syntax error"):
        await db.migrate(migrations)
    assert await db.user_version() == 1
    assert await db.fetchone("SELECT name FROM sqlite_master WHERE name = 'b'") is None
    await db.close()


async def test_a_daily_post_is_claimed_once_even_when_raced(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.db")
    await store.open()
    try:
        await store.guilds.save_schedule(
            1,
            channel_id=10,
            post_time=NOW.time(),
            timezone="UTC",
            ping_role_id=None,
            config_channel_id=None,
            now=NOW,
        )
        claims = await asyncio.gather(
            *(
                store.posts.claim(
                    1,
                    "2026-11-26",
                    question_id=f"q{i}",
                    round_name="coding",
                    channel_id=10,
                    now=NOW,
                )
                for i in range(20)
            )
        )
        assert sum(c is not None for c in claims) == 1
        rows = await store.db.fetchall("SELECT * FROM daily_posts")
        assert len(list(rows)) == 1
    finally:
        await store.close()


WRITER = """
import asyncio, sys
from pathlib import Path
from bot.store import Store

async def main() -> None:
    store = Store(Path(sys.argv[1]))
    await store.open()
    i = 0
    while True:
        i += 1
        await store.meta.set(f"k{i % 50}", "x" * 200)
        await store.members.remember(1, i, f"member {i}")
        if i % 200 == 0:
            print(i, flush=True)

asyncio.run(main())
"""


def test_sigkill_during_writes_leaves_a_sound_database(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    # Kill it mid-stream, once a thousand writes have committed.
    for _ in range(5):
        assert proc.stdout.readline().strip(), "the writer stopped early"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=5)

    async def check() -> tuple[str, int]:
        store = Store(path)
        await store.open()
        result = await store.db.integrity_check()
        row = await store.db.fetchone("SELECT COUNT(*) FROM members")
        await store.close()
        return result, int(row[0]) if row else 0

    result, members = asyncio.run(check())
    assert result == "ok"
    assert members > 0
