"""The peer queue: a server's peer settings, and members waiting for a partner."""

from __future__ import annotations

from datetime import datetime

from bot.domain.peer_matching import Availability, PeerSettings, QueueEntry
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store._convert import to_iso
from bot.store._shards import shard_filter
from bot.store.database import Database
from bot.store.peers.rows import entry_of


class PeerQueueRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def settings(self, guild_id: int) -> PeerSettings:
        row = await self._db.fetchone("SELECT * FROM peer_settings WHERE guild_id = ?", (guild_id,))
        if row is None:
            return PeerSettings(guild_id)
        return PeerSettings(
            guild_id, row["channel_id"], row["expiry_minutes"], row["no_show_minutes"]
        )

    async def save_settings(self, settings: PeerSettings, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                """
                INSERT INTO peer_settings (guild_id, channel_id, expiry_minutes, no_show_minutes,
                    updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,
                    expiry_minutes = excluded.expiry_minutes,
                    no_show_minutes = excluded.no_show_minutes, updated_at = excluded.updated_at
                """,
                (
                    settings.guild_id,
                    settings.channel_id,
                    settings.expiry_minutes,
                    settings.no_show_minutes,
                    to_iso(now),
                ),
            )

    async def add_entry(
        self,
        *,
        guild_id: int,
        user_id: int,
        round_name: str,
        level: str | None,
        channel_id: int,
        availability: Availability,
        joined_at: datetime,
        front: bool = False,
    ) -> QueueEntry | None:
        """Queue the member; None when they already wait in this guild."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO peer_queue (guild_id, user_id, round, level, channel_id, joined_at,
                    earliest, latest, windowed, front)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (guild_id, user_id) WHERE status = 'waiting' DO NOTHING
                RETURNING *
                """,
                (
                    guild_id,
                    user_id,
                    round_name,
                    level,
                    channel_id,
                    to_iso(joined_at),
                    to_iso(availability.earliest),
                    to_iso(availability.latest),
                    int(availability.windowed),
                    int(front),
                ),
            )
            row = await cursor.fetchone()
        return entry_of(row) if row else None

    async def waiting(self, guild_id: int) -> list[QueueEntry]:
        rows = await self._db.fetchall(
            "SELECT * FROM peer_queue WHERE guild_id = ? AND status = 'waiting'", (guild_id,)
        )
        return sorted((entry_of(row) for row in rows), key=lambda e: e.order)

    async def waiting_entry(self, guild_id: int, user_id: int) -> QueueEntry | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_queue WHERE guild_id = ? AND user_id = ? AND status = 'waiting'",
            (guild_id, user_id),
        )
        return entry_of(row) if row else None

    async def session_entry(self, session_id: int, user_id: int) -> QueueEntry | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_queue WHERE session_id = ? AND user_id = ?", (session_id, user_id)
        )
        return entry_of(row) if row else None

    async def leave(self, guild_id: int, user_id: int, now: datetime) -> QueueEntry | None:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_queue SET status = 'left', closed_at = ? "
                "WHERE guild_id = ? AND user_id = ? AND status = 'waiting' RETURNING *",
                (to_iso(now), guild_id, user_id),
            )
            row = await cursor.fetchone()
        return entry_of(row) if row else None

    async def expire(self, now: datetime, shards: ShardPlan = EVERY_GUILD) -> list[QueueEntry]:
        """Close every waiting entry (of the shards' guilds) whose last possible start has
        passed."""
        where, params = shard_filter(shards)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_queue SET status = 'expired', closed_at = ? "
                f"WHERE status = 'waiting' AND latest < ?{where} RETURNING *",
                (to_iso(now), to_iso(now), *params),
            )
            rows = await cursor.fetchall()
        return [entry_of(row) for row in rows]
