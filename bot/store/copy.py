"""`python -m bot db copy --to URL`: the SQLite database into an empty PostgreSQL one, verified.

Both sides are migrated to the same version first. Rows are copied table by table, parents before
children, in one PostgreSQL transaction with the tables' own triggers off (the derived leaderboard
totals are copied as they are, not recomputed twice); identity sequences then continue after the
copied ids. Verification reads every table back on both sides: the row count and a checksum of the
rows (order-independent) must match, or the transaction is rolled back and nothing is left behind.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.store.postgres import PgConnection, PostgresDatabase
from bot.store.sqlite import SqliteDatabase


class CopyRefused(Exception):
    """The copy did not start (the target holds rows) or did not verify; nothing was kept."""


@dataclass(frozen=True)
class TableCopy:
    table: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str

    @property
    def ok(self) -> bool:
        return (self.source_rows, self.source_checksum) == (
            self.target_rows,
            self.target_checksum,
        )


@dataclass(frozen=True)
class CopyReport:
    schema_version: int
    tables: list[TableCopy]

    @property
    def ok(self) -> bool:
        return all(table.ok for table in self.tables)

    @property
    def rows(self) -> int:
        return sum(table.source_rows for table in self.tables)

    def lines(self) -> list[str]:
        width = max((len(t.table) for t in self.tables), default=5)
        out = [f"{'table':<{width}}  {'rows':>8}  checksum          verified"]
        for t in self.tables:
            verdict = "ok" if t.ok else f"MISMATCH ({t.target_rows} rows, {t.target_checksum})"
            out.append(f"{t.table:<{width}}  {t.source_rows:>8}  {t.source_checksum}  {verdict}")
        out.append(
            f"{len(self.tables)} tables, {self.rows} rows, schema version {self.schema_version}: "
            + ("copied and verified" if self.ok else "NOT verified, nothing was kept")
        )
        return out


def checksum(rows: Iterable[Sequence[Any]]) -> str:
    """Order-independent: the sum of each row's SHA-256 (its values as JSON), mod 2**64."""
    total = 0
    for row in rows:
        encoded = json.dumps([_canonical(value) for value in row], ensure_ascii=False)
        total += int.from_bytes(hashlib.sha256(encoded.encode()).digest()[:8], "big")
    return f"{total % 2**64:016x}"


def _canonical(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


async def copy_sqlite_to_postgres(source: SqliteDatabase, target: PostgresDatabase) -> CopyReport:
    """Both opened and migrated by the caller."""
    version = await source.schema_version()
    if await target.schema_version() != version:
        raise CopyRefused("the source and the target are at different schema versions")
    tables = await _parents_first(source)
    columns = {table: await _columns(source, table) for table in tables}
    busy = [t for t in tables if await _count(target, t) > 0]
    if busy:
        raise CopyRefused(
            f"{target.where} is not empty ({', '.join(busy)} hold rows): db copy only fills an "
            "empty database"
        )
    report: list[TableCopy] = []
    # One write transaction on the source: nothing changes it while it is read.
    async with source.transaction(), target.transaction() as conn:
        assert isinstance(conn, PgConnection)
        for table in tables:
            await conn.raw.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for table in tables:
            names = columns[table]
            rows = [tuple(row) for row in await source.fetchall(_select(table, names))]
            if rows:
                await conn.raw.copy_records_to_table(table, records=rows, columns=names)
            copied = [tuple(row) for row in await conn.raw.fetch(_select(table, names))]
            report.append(
                TableCopy(table, len(rows), len(copied), checksum(rows), checksum(copied))
            )
        for table in tables:
            await conn.raw.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        await _continue_sequences(conn)
        result = CopyReport(version, report)
        if not result.ok:
            raise _Mismatch(result)
    # Tables filled at once have no planner statistics until autovacuum gets to them, and
    # until then the first queries on them (the boards, the points cap) are planned as if
    # they were empty: analyse them now, as after any bulk load.
    async with target.pool.acquire() as raw:
        for table in tables:
            await raw.execute(f"ANALYZE {table}")
    return result


class _Mismatch(CopyRefused):
    def __init__(self, report: CopyReport) -> None:
        super().__init__("\n".join(report.lines()))
        self.report = report


def _select(table: str, names: list[str]) -> str:
    return f"SELECT {', '.join(names)} FROM {table}"


async def _columns(source: SqliteDatabase, table: str) -> list[str]:
    rows = await source.fetchall(f"PRAGMA table_info({table})")
    return [str(row["name"]) for row in rows]


async def _count(target: PostgresDatabase, table: str) -> int:
    row = await target.fetchone(f"SELECT COUNT(*) AS n FROM {table}")
    return int(row["n"])


async def _parents_first(source: SqliteDatabase) -> list[str]:
    """The tables ordered so that every foreign key points to a table copied earlier."""
    tables = await source.tables()
    parents = {}
    for table in tables:
        links = await source.fetchall(f"PRAGMA foreign_key_list({table})")
        parents[table] = {str(link["table"]) for link in links} - {table}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered)]
        if not ready:
            raise CopyRefused(
                f"foreign keys form a cycle among {sorted(set(tables) - set(ordered))}"
            )
        ordered.extend(ready)
    return ordered


async def _continue_sequences(conn: PgConnection) -> None:
    identities = await conn.raw.fetch(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    )
    for row in identities:
        table, column = row["table_name"], row["column_name"]
        await conn.raw.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"COALESCE(MAX({column}), 0) + 1, false) FROM {table}"
        )


async def copy_file_to(path: Path, url: str) -> CopyReport:
    """Open and migrate both sides, copy, verify; closes both whatever happens."""
    if not await asyncio.to_thread(path.is_file):
        raise CopyRefused(f"no SQLite database at {path} (BOT_DATABASE_PATH)")
    source, target = SqliteDatabase(path), PostgresDatabase(url)
    try:
        await source.open()
        await source.migrate()
        await target.open()
        await target.migrate()
        return await copy_sqlite_to_postgres(source, target)
    finally:
        await target.close()
        await source.close()
