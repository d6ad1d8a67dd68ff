"""Per-guild settings of the web companion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store._convert import to_iso
from bot.store.database import Database


@dataclass(frozen=True)
class WebSettings:
    guild_id: int
    public: bool
    guild_name: str


class WebRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, guild_id: int) -> WebSettings:
        row = await self._db.fetchone(
            "SELECT public, guild_name FROM web_settings WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            return WebSettings(guild_id, False, "")
        return WebSettings(guild_id, bool(row["public"]), str(row["guild_name"]))

    async def set_public(self, guild_id: int, public: bool, guild_name: str, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO web_settings (guild_id, public, guild_name, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
                "public = excluded.public, guild_name = excluded.guild_name, "
                "updated_at = excluded.updated_at",
                (guild_id, int(public), guild_name, to_iso(now)),
            )

    async def known_guilds(self, candidates: list[int]) -> set[int]:
        """Which of these servers the bot is in, as far as its database knows (a server with a
        schedule, a member or a web setting, and not left)."""
        if not candidates:
            return set()
        marks = ", ".join("?" for _ in candidates)
        rows = await self._db.fetchall(
            f"SELECT guild_id FROM guilds WHERE guild_id IN ({marks}) "
            f"UNION SELECT guild_id FROM members WHERE guild_id IN ({marks}) "
            f"UNION SELECT guild_id FROM web_settings WHERE guild_id IN ({marks})",
            (*candidates, *candidates, *candidates),
        )
        left = await self._db.fetchall(
            f"SELECT guild_id FROM guild_departures WHERE guild_id IN ({marks})", tuple(candidates)
        )
        return {int(r["guild_id"]) for r in rows} - {int(r["guild_id"]) for r in left}
