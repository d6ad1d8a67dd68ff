"""Per-guild cooldown settings: seconds per kind, where an admin changed the default."""

from __future__ import annotations

from datetime import datetime

from bot.store._convert import to_iso
from bot.store.database import Database


class CooldownRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def overrides(self, guild_id: int) -> dict[str, int]:
        rows = await self._db.fetchall(
            "SELECT kind, seconds FROM cooldowns WHERE guild_id = ?", (guild_id,)
        )
        return {str(row["kind"]): int(row["seconds"]) for row in rows}

    async def set(self, guild_id: int, kind: str, seconds: int, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO cooldowns (guild_id, kind, seconds, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (guild_id, kind) DO UPDATE SET seconds = excluded.seconds, "
                "updated_at = excluded.updated_at",
                (guild_id, kind, seconds, to_iso(now)),
            )
