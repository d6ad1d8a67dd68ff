"""`/privacy` in the store: one member's data in one guild (export, delete, hide), one-time
notices, and whole guilds the bot left (purge). Where the data is: `privacy_coverage`; the
statements: `privacy_sql`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store._convert import to_iso
from bot.store.database import Connection, Database, Row
from bot.store.privacy_coverage import PURGED_TABLES
from bot.store.privacy_sql import BUSY_CHECKS, DELETE_MEMBER, MEMBER_GUILDS, NESTED, SECTIONS


@dataclass(frozen=True)
class Busy:
    """Why a member's data cannot be deleted right now."""

    what: str  # 'mock_round' or 'peer_session'
    thread_id: int | None


@dataclass(frozen=True)
class Departure:
    guild_id: int
    left_at: datetime


def _plain(row: Row) -> dict[str, Any]:
    """A row as JSON-ready values; `*_json` columns are decoded (and lose the suffix)."""
    out: dict[str, Any] = {}
    for key, value in dict(row).items():
        if key.endswith("_json") and isinstance(value, str):
            out[key.removesuffix("_json")] = json.loads(value)
        else:
            out[key] = value
    return out


FetchOne = Callable[[str, Sequence[Any]], Awaitable[Any]]


async def _first_busy(fetchone: FetchOne, params: tuple[int, int]) -> Busy | None:
    for what, sql in BUSY_CHECKS:
        row = await fetchone(sql, params)
        if row is not None:
            return Busy(what, row["thread_id"])
    return None


def _fetchone_in(conn: Connection) -> FetchOne:
    async def fetchone(sql: str, params: Sequence[Any]) -> Any:
        return await (await conn.execute(sql, params)).fetchone()

    return fetchone


async def _all(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
    return list(await (await conn.execute(sql, params)).fetchall())


class PrivacyRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ------------------------------------------------------------------ one member
    async def export_member(self, guild_id: int, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row about the member in the guild, by section, read as one snapshot."""
        params = (guild_id, user_id)
        sections: dict[str, list[dict[str, Any]]] = {}
        async with self._db.snapshot() as conn:
            for name, columns, where in SECTIONS:
                rows = await _all(conn, f"SELECT {columns} {where}", params)
                sections[name] = [_plain(row) for row in rows]
            for section, key, column, sql in NESTED:
                children: dict[Any, list[dict[str, Any]]] = {}
                for row in await _all(conn, sql, params):
                    children.setdefault(row[column], []).append(_plain(row))
                for parent in sections[section]:
                    parent[key] = children.get(parent[column], [])
        return sections

    async def footprint(self, guild_id: int, user_id: int) -> dict[str, int]:
        """How many rows each export section has for the member."""
        counts = {}
        for name, _, where in SECTIONS:
            # `where` may end in ORDER BY, which an aggregate over it may not have.
            sql = f"SELECT COUNT(*) AS n FROM (SELECT 1 AS one {where}) AS section"
            row = await self._db.fetchone(sql, (guild_id, user_id))
            counts[name] = int(row["n"]) if row else 0
        return counts

    async def member_guilds(self, user_id: int) -> list[int]:
        """Every guild anything about the member is stored for (they may have left it)."""
        rows = await self._db.fetchall(MEMBER_GUILDS, (user_id,))
        return sorted(int(row["guild_id"]) for row in rows)

    async def busy(self, guild_id: int, user_id: int) -> Busy | None:
        return await _first_busy(self._db.fetchone, (guild_id, user_id))

    async def delete_member(self, guild_id: int, user_id: int) -> dict[str, int] | Busy:
        """Delete (or anonymise) everything about the member in the guild, all or nothing;
        returns the rows changed per section, or what is still running and stops it."""
        params = (guild_id, user_id)
        changed: dict[str, int] = {}
        async with self._db.transaction() as conn:
            busy = await _first_busy(_fetchone_in(conn), params)
            if busy is not None:
                return busy
            for section, sql in DELETE_MEMBER:
                cursor = await conn.execute(sql, params)
                changed[section] = changed.get(section, 0) + max(cursor.rowcount, 0)
        return changed

    async def set_hidden(
        self, guild_id: int, user_id: int, display_name: str, hidden: bool
    ) -> bool:
        """Hide or show the member on this guild's boards; False when it already was so.
        The triggers of migration 0005 mirror the flag into the totals."""
        async with self._db.transaction() as conn:
            if hidden:
                cursor = await conn.execute(
                    "INSERT INTO members (guild_id, user_id, display_name, hidden) "
                    "VALUES (?, ?, ?, 1) ON CONFLICT (guild_id, user_id) "
                    "DO UPDATE SET hidden = 1 WHERE members.hidden = 0",
                    (guild_id, user_id, display_name[:100]),
                )
            else:
                # Showing needs no row: a member without one is shown.
                cursor = await conn.execute(
                    "UPDATE members SET hidden = 0 WHERE guild_id = ? AND user_id = ? "
                    "AND hidden = 1",
                    (guild_id, user_id),
                )
            return cursor.rowcount == 1

    async def notice_seen(self, guild_id: int, user_id: int, notice: str) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM member_notices WHERE guild_id = ? AND user_id = ? AND notice = ?",
            (guild_id, user_id, notice),
        )
        return row is not None

    async def mark_notice_seen(
        self, guild_id: int, user_id: int, notice: str, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO member_notices (guild_id, user_id, notice, seen_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, user_id, notice, to_iso(now)),
            )

    # ------------------------------------------------------------------ whole guilds
    async def record_departure(self, guild_id: int, now: datetime) -> bool:
        """The bot left the guild; the first departure counts. False when already recorded."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO guild_departures (guild_id, left_at) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                (guild_id, to_iso(now)),
            )
            return cursor.rowcount == 1

    async def cancel_departure(self, guild_id: int) -> bool:
        """The bot is back in the guild: nothing is purged. False when none was pending."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM guild_departures WHERE guild_id = ?", (guild_id,)
            )
            return cursor.rowcount == 1

    async def pending_departures(self) -> set[int]:
        rows = await self._db.fetchall("SELECT guild_id FROM guild_departures")
        return {int(row["guild_id"]) for row in rows}

    async def departures_before(self, instant: datetime) -> list[Departure]:
        """Departures older than `instant`, oldest first."""
        rows = await self._db.fetchall(
            "SELECT guild_id, left_at FROM guild_departures WHERE left_at < ? ORDER BY left_at",
            (to_iso(instant),),
        )
        return [Departure(row["guild_id"], datetime.fromisoformat(row["left_at"])) for row in rows]

    async def guilds_with_data(self) -> set[int]:
        """Every guild anything is stored for."""
        union = " UNION ".join(
            f"SELECT guild_id FROM {table} WHERE guild_id IS NOT NULL" for table in PURGED_TABLES
        )
        return {int(row["guild_id"]) for row in await self._db.fetchall(union)}

    async def purge_guild(self, guild_id: int, left_before: datetime) -> int | None:
        """Delete every row of the guild in one transaction, if it is still pending a purge
        from before `left_before` (a rejoin may have cancelled it meanwhile); returns the rows
        deleted (cascaded child rows not counted), or None when there was nothing to do."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT 1 FROM guild_departures WHERE guild_id = ? AND left_at < ?",
                (guild_id, to_iso(left_before)),
            )
            if await cursor.fetchone() is None:
                return None
            deleted = 0
            for table in PURGED_TABLES:
                cursor = await conn.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
                deleted += max(cursor.rowcount, 0)
        return deleted
