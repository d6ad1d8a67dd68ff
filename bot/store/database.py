"""The store's one database interface; `sqlite.py` and `postgres.py` implement it.

The repositories write one SQL text for both engines: `?` (or `?N`) placeholders, `ON CONFLICT`,
`RETURNING`, ISO-8601 text times and 0/1 integer flags. The SQLite implementation runs it as
written; the PostgreSQL one translates the placeholders (`dialect.py`).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol

MIGRATIONS_ROOT = Path(__file__).resolve().parent / "migrations"
MIGRATIONS_DIR = MIGRATIONS_ROOT / "sqlite"
POSTGRES_MIGRATIONS_DIR = MIGRATIONS_ROOT / "postgres"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseTooNew(RuntimeError):
    """The database was migrated by a newer version of the bot than this one."""


class Row(Protocol):
    """A result row: by column name or position."""

    def __getitem__(self, key: Any, /) -> Any: ...

    def keys(self) -> Iterable[str]: ...


class Cursor(Protocol):
    """What executing one statement returns inside a transaction."""

    @property
    def rowcount(self) -> int: ...

    async def fetchone(self) -> Any: ...

    async def fetchall(self) -> Iterable[Any]: ...


class Connection(Protocol):
    """The connection a write transaction hands out."""

    async def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any: ...


def migration_files(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise RuntimeError(f"migration file name not understood: {path.name}")
        found.append((int(match.group(1)), path))
    versions = [version for version, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 0001, 0002, ... without gaps: {versions}")
    return found


def pending_migrations(directory: Path, current: int, where: str) -> list[tuple[int, Path]]:
    """The migrations newer than `current`; refuses a database newer than this bot."""
    files = migration_files(directory)
    latest = files[-1][0] if files else 0
    if current > latest:
        raise DatabaseTooNew(
            f"database {where} is at schema version {current}, but this bot knows only "
            f"up to {latest}: upgrade the bot or use another BOT_DATABASE_PATH or BOT_DATABASE_URL"
        )
    return [(version, path) for version, path in files if version > current]


class Database(ABC):
    """Reads run freely and see only committed data; writes go through `transaction()`, rolled
    back on any error; `snapshot()` reads several statements at one point in time."""

    # "sqlite" or "postgresql": for the few places that must say which (doctor, db copy).
    engine: str
    # Whether `lock` holds across processes (and hosts); SQLite's holds in one process only.
    shared_locks: bool

    @property
    @abstractmethod
    def where(self) -> str:
        """The file or URL (without a password), for messages."""

    @abstractmethod
    async def open(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def schema_version(self) -> int: ...

    @abstractmethod
    async def migrate(self, directory: Path | None = None) -> list[int]:
        """Apply every migration newer than the schema version, each in its own transaction."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Connection]: ...

    @abstractmethod
    def snapshot(self) -> AbstractAsyncContextManager[Connection]:
        """A read-only transaction: every statement in it sees the same committed state, and
        writers do not wait for it. Nothing may be written through it."""

    @abstractmethod
    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    @abstractmethod
    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> Iterable[Any]: ...

    @abstractmethod
    async def integrity_check(self) -> str:
        """'ok', or what is wrong."""

    @abstractmethod
    async def start_background(self) -> None:
        """Background upkeep once migrated (SQLite's checkpoints)."""

    @abstractmethod
    async def tables(self) -> list[str]:
        """The schema's tables (not the migrations' bookkeeping), sorted."""

    @abstractmethod
    def lock(self, name: str) -> AbstractAsyncContextManager[bool]:
        """Holds `name` for every process sharing this database while the block runs; yields
        False (holding nothing) when another process has it."""
