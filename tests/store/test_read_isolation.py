"""Reads see only committed data, on both databases: a write transaction another task holds open
is invisible to a read, and `/privacy export` reads one snapshot without holding up writers."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot.domain.clock import ManualClock
from bot.services.privacy import PrivacyService
from bot.store import Store, privacy
from bot.store.database import Connection
from tests.stores import DAY, NOW
from tests.stores import store as store  # the fixture

pytestmark = pytest.mark.both_databases

GUILD, USER = 1, 7


async def award(store: Store, ref: str, amount: int) -> None:
    await store.points.award(
        guild_id=GUILD,
        user_id=USER,
        kind="daily",
        ref=ref,
        round_name="coding",
        amount=amount,
        local_date=DAY,
        now=NOW,
    )


async def test_an_open_write_transaction_is_invisible_to_a_concurrent_read(store: Store) -> None:
    written, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with store.db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('marker', 'uncommitted')")
            written.set()
            await release.wait()

    task = asyncio.create_task(writer())
    try:
        async with asyncio.timeout(5):
            await written.wait()
            assert await store.meta.get("marker") is None
            assert await store.db.fetchall("SELECT key FROM meta WHERE key = 'marker'") == []
    finally:
        release.set()
        await task
    assert await store.meta.get("marker") == "uncommitted"


async def test_an_open_write_transaction_rolled_back_was_never_seen(store: Store) -> None:
    written, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with store.db.transaction() as conn:
            await award_row(conn)
            written.set()
            await release.wait()
            raise LookupError("the write fails after the read")

    task = asyncio.create_task(writer())
    try:
        async with asyncio.timeout(5):
            await written.wait()
            assert await store.points.total(GUILD, USER) == 0
    finally:
        release.set()
        with pytest.raises(LookupError):
            await task
    assert await store.points.total(GUILD, USER) == 0


async def award_row(conn: Connection) -> None:
    await conn.execute(
        "INSERT INTO points (guild_id, user_id, kind, ref, round, amount, local_date, earned_at) "
        "VALUES (?, ?, 'daily', 'x', 'coding', 9, ?, ?)",
        (GUILD, USER, DAY, NOW.isoformat()),
    )


async def test_an_export_reads_one_snapshot_and_a_write_completes_during_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export pauses after its first statement; a write for the same member completes
    meanwhile (it would wait for ever behind a write lock), and the export, resumed, shows the
    data as at its first statement."""
    await store.members.remember(GUILD, USER, "Ada")
    await award(store, "before", 10)
    paused, resume = asyncio.Event(), asyncio.Event()
    read_all = privacy._all

    async def pausing(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
        rows = await read_all(conn, sql, params)
        if not paused.is_set():
            paused.set()
            await resume.wait()
        return rows

    monkeypatch.setattr(privacy, "_all", pausing)
    service = PrivacyService(store, ManualClock(NOW), ai_grading=False, retention=timedelta(1))
    export = asyncio.create_task(service.export(GUILD, USER))
    try:
        async with asyncio.timeout(5):
            await paused.wait()
            await award(store, "during", 5)
            await store.members.remember(GUILD, USER, "Ada Lovelace")
            assert not export.done()
    finally:
        resume.set()
        exported = await export
    assert [row["ref"] for row in exported.sections["points"]] == ["before"]
    assert [row["display_name"] for row in exported.sections["member"]] == ["Ada"]
    assert await store.points.total(GUILD, USER) == 15


async def test_nothing_is_written_through_a_snapshot(store: Store) -> None:
    with pytest.raises(Exception, match=r"(?i)read.only|readonly"):
        async with store.db.snapshot() as conn:
            await award_row(conn)
    assert await store.points.total(GUILD, USER) == 0
