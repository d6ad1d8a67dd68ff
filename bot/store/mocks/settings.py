"""Each guild's mock settings: the idle close and the daily limit."""

from __future__ import annotations

from datetime import datetime

from bot.domain.mock import MockSettings
from bot.store._convert import to_iso
from bot.store.mocks.rows import MockTable


class MockSettingsTable(MockTable):
    async def settings(self, guild_id: int) -> MockSettings:
        row = await self._db.fetchone(
            "SELECT idle_minutes, daily_limit FROM mock_settings WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            return MockSettings()
        return MockSettings(idle_minutes=row["idle_minutes"], daily_limit=row["daily_limit"])

    async def save_settings(self, guild_id: int, settings: MockSettings, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                """
                INSERT INTO mock_settings (guild_id, idle_minutes, daily_limit, updated_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (guild_id) DO UPDATE SET idle_minutes = excluded.idle_minutes,
                    daily_limit = excluded.daily_limit, updated_at = excluded.updated_at
                """,
                (guild_id, settings.idle_minutes, settings.daily_limit, to_iso(now)),
            )
