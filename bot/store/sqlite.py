"""The embedded default: one aiosqlite connection for serialised write transactions, and read
connections of their own (WAL), so a read sees only what was committed, never another task's
open transaction."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import aiosqlite

from bot.store.checkpoint import Checkpointer
from bot.store.database import MIGRATIONS_DIR, Connection, Database, pending_migrations

log = logging.getLogger(__name__)

# Reads each take a connection of their own for one statement; a connection's statement may
# span awaits, and a read sharing it would join its read transaction (an older snapshot).
READ_CONNECTIONS = 2
_PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000")


async def _connect(path: Path, pragmas: Sequence[str]) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        for pragma in pragmas:
            await conn.execute(pragma)
    except BaseException:
        # Not a database (or unreadable): close it, or its non-daemon thread blocks exit.
        await conn.close()
        raise
    return conn


async def _reader(path: Path) -> aiosqlite.Connection:
    return await _connect(path, (*_PRAGMAS, "PRAGMA query_only=ON"))


class SqliteDatabase(Database):
    """The write connection and its lock, and the read connections. Reads run freely on their
    own connections; writes go through `transaction()`."""

    engine = "sqlite"
    shared_locks = False

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._reader_count = 0
        # A transaction belongs to the connection, not to a task: serialise them.
        self._write_lock = asyncio.Lock()
        self._checkpointer = Checkpointer(path)

    @property
    def where(self) -> str:
        return str(self.path)

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The write connection first: it puts the file in WAL mode, which the readers need.
        self._conn = await _connect(
            self.path, ("PRAGMA journal_mode=WAL", *_PRAGMAS, "PRAGMA synchronous=NORMAL")
        )
        try:
            for _ in range(READ_CONNECTIONS):
                self._readers.put_nowait(await _reader(self.path))
                self._reader_count += 1
        except BaseException:
            await self._close_connections()
            raise

    async def start_background(self) -> None:
        await self._checkpointer.start(self.conn)

    async def close(self) -> None:
        await self._checkpointer.stop()
        await self._close_connections()

    async def _close_connections(self) -> None:
        while self._reader_count:
            reader = await self._readers.get()
            self._reader_count -= 1
            await reader.close()
        if self._conn is not None:
            async with self._write_lock:
                await self._conn.close()
                self._conn = None

    async def user_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def schema_version(self) -> int:
        return await self.user_version()

    async def migrate(self, directory: Path | None = None) -> list[int]:
        pending = pending_migrations(
            directory or MIGRATIONS_DIR, await self.user_version(), str(self.path)
        )
        applied = []
        for version, path in pending:
            script = path.read_text(encoding="utf-8")
            async with self._write_lock:
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in _split_sql(script):
                        await self.conn.execute(statement)
                    await self.conn.execute(f"PRAGMA user_version = {version}")
                except BaseException:
                    await self.conn.execute("ROLLBACK")
                    raise
                await self.conn.execute("COMMIT")
            log.info("applied migration %s", path.name)
            applied.append(version)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """A write transaction: one at a time, `BEGIN IMMEDIATE`, rolled back on any error."""
        async with self._write_lock:
            conn = self.conn
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield cast(Connection, conn)
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Connection]:
        """One read transaction on a connection of its own: every statement sees the database
        as at the first, and no writer waits for it (WAL)."""
        reader = await _reader(self.path)
        try:
            await reader.execute("BEGIN")
            try:
                yield cast(Connection, reader)
            finally:
                await reader.execute("ROLLBACK")
        finally:
            await reader.close()

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[aiosqlite.Connection]:
        if self._reader_count == 0:
            raise RuntimeError("database is not open")
        reader = await self._readers.get()
        try:
            yield reader
        finally:
            self._readers.put_nowait(reader)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        async with self._reading() as reader, reader.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> Iterable[aiosqlite.Row]:
        async with self._reading() as reader, reader.execute(sql, params) as cursor:
            return await cursor.fetchall()

    async def integrity_check(self) -> str:
        row = await self.fetchone("PRAGMA integrity_check")
        return str(row[0]) if row else "no answer"

    async def tables(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return [str(row[0]) for row in rows]

    @asynccontextmanager
    async def lock(self, name: str) -> AsyncIterator[bool]:
        # One file means one machine; processes sharing it (shards) each run the work as
        # before, and its schema keeps that work once.
        yield True


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements; sqlite3 itself says where one is complete, so `;` in
    comments, strings and trigger bodies is handled."""
    statements = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
