from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.models import GuildConfig
from bot.store._convert import from_iso, parse_hhmm, to_iso
from bot.store.database import Database


def _config(row: Any) -> GuildConfig:
    return GuildConfig(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        post_time=parse_hhmm(row["post_time"]),
        timezone=row["timezone"],
        ping_role_id=row["ping_role_id"],
        paused=bool(row["paused"]),
        rotation_text=row["rotation"],
        config_channel_id=row["config_channel_id"],
        schedule_changed_at=from_iso(row["schedule_changed_at"]),
        last_error=row["last_error"],
        last_error_at=from_iso(row["last_error_at"]),
        last_warning=row["last_warning"],
        language=row["language"],
    )


class GuildRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, guild_id: int) -> GuildConfig | None:
        row = await self._db.fetchone("SELECT * FROM guilds WHERE guild_id = ?", (guild_id,))
        return _config(row) if row else None

    async def zone(self, guild_id: int) -> ZoneInfo:
        """The timezone of the guild's day: its daily question's, UTC until that is set up."""
        config = await self.get(guild_id)
        return config.zone if config is not None else ZoneInfo("UTC")

    async def scheduled(self) -> list[GuildConfig]:
        rows = await self._db.fetchall(
            "SELECT * FROM guilds WHERE channel_id IS NOT NULL AND post_time IS NOT NULL "
            "AND timezone IS NOT NULL ORDER BY guild_id"
        )
        return [_config(row) for row in rows]

    async def save_schedule(
        self,
        guild_id: int,
        *,
        channel_id: int,
        post_time: time,
        timezone: str,
        ping_role_id: int | None,
        config_channel_id: int | None,
        now: datetime,
    ) -> GuildConfig:
        async with self._db.transaction() as conn:
            await conn.execute(
                """
                INSERT INTO guilds (guild_id, channel_id, post_time, timezone, ping_role_id,
                    config_channel_id, schedule_changed_at, created_at, updated_at, paused)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
                ON CONFLICT (guild_id) DO UPDATE SET
                    channel_id = excluded.channel_id, post_time = excluded.post_time,
                    timezone = excluded.timezone, ping_role_id = excluded.ping_role_id,
                    config_channel_id = excluded.config_channel_id,
                    schedule_changed_at = excluded.schedule_changed_at,
                    updated_at = excluded.updated_at, paused = 0,
                    last_error = NULL, last_error_at = NULL
                """,
                (
                    guild_id,
                    channel_id,
                    post_time.strftime("%H:%M"),
                    timezone,
                    ping_role_id,
                    config_channel_id,
                    to_iso(now),
                    to_iso(now),
                    to_iso(now),
                ),
            )
        saved = await self.get(guild_id)
        assert saved is not None
        return saved

    async def set_paused(self, guild_id: int, paused: bool, now: datetime) -> bool:
        """Returns False when the guild has no schedule to pause or resume."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE guilds SET paused = ?, updated_at = ?, schedule_changed_at = ? "
                "WHERE guild_id = ? AND channel_id IS NOT NULL",
                (int(paused), to_iso(now), to_iso(now), guild_id),
            )
            return cursor.rowcount == 1

    async def set_rotation(self, guild_id: int, rotation: str, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE guilds SET rotation = ?, updated_at = ? WHERE guild_id = ?",
                (rotation, to_iso(now), guild_id),
            )
            return cursor.rowcount == 1

    async def set_error(self, guild_id: int, error: str | None, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE guilds SET last_error = ?, last_error_at = ? WHERE guild_id = ?",
                (error, to_iso(now) if error else None, guild_id),
            )

    async def set_warning(self, guild_id: int, warning: str | None) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE guilds SET last_warning = ? WHERE guild_id = ?", (warning, guild_id)
            )

    async def set_language(self, guild_id: int, language: str | None, now: datetime) -> None:
        """The language of the server's channel posts; None follows the server's own locale."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO guilds (guild_id, language, created_at, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
                "language = excluded.language, updated_at = excluded.updated_at",
                (guild_id, language, to_iso(now), to_iso(now)),
            )

    async def language(self, guild_id: int) -> str | None:
        row = await self._db.fetchone("SELECT language FROM guilds WHERE guild_id = ?", (guild_id,))
        return row["language"] if row else None
