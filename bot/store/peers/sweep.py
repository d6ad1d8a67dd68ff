"""Session reminders, each claimed once so that two sweeps never send it twice."""

from __future__ import annotations

from datetime import datetime

from bot.store._convert import to_iso
from bot.store.database import Database


class PeerNudgeRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def sent_nudges(self, session_id: int) -> set[str]:
        rows = await self._db.fetchall(
            "SELECT key FROM peer_nudges WHERE session_id = ?", (session_id,)
        )
        return {row["key"] for row in rows}

    async def claim_nudge(self, session_id: int, key: str, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO peer_nudges (session_id, key, sent_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING RETURNING key",
                (session_id, key, to_iso(now)),
            )
            return await cursor.fetchone() is not None
