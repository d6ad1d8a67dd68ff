"""A round's turns, in order, and the nudges already sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.mock import MockTurn, Speaker
from bot.store._convert import to_iso
from bot.store.mocks.rows import MockTable, turn_of


class MockTurnsTable(MockTable):
    async def add_turn(
        self,
        round_id: int,
        speaker: Speaker,
        content: str,
        source: str,
        now: datetime,
        *,
        message_id: int | None = None,
    ) -> bool:
        """Append a turn; False when that Discord message was already taken as a turn. A
        candidate's turn also resets the idle clock."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO mock_turns (round_id, seq, speaker, content, source, message_id,
                    created_at)
                SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?
                FROM mock_turns WHERE round_id = ?
                ON CONFLICT DO NOTHING
                """,
                (round_id, speaker, content, source, message_id, to_iso(now), round_id),
            )
            if cursor.rowcount != 1:
                return False
            if speaker == "candidate":
                await conn.execute(
                    "UPDATE mock_rounds SET last_turn_at = ? WHERE round_id = ?",
                    (to_iso(now), round_id),
                )
        return True

    async def turns(self, round_id: int) -> list[MockTurn]:
        rows = await self._db.fetchall(
            "SELECT * FROM mock_turns WHERE round_id = ? ORDER BY seq", (round_id,)
        )
        return [turn_of(row) for row in rows]

    async def sent_nudges(self, round_id: int) -> set[str]:
        rows = await self._db.fetchall(
            "SELECT nudge FROM mock_nudges WHERE round_id = ?", (round_id,)
        )
        return {row["nudge"] for row in rows}

    async def claim_nudges(self, round_id: int, keys: Sequence[str], now: datetime) -> set[str]:
        """Mark nudges as sent; returns the keys this call claimed (the others were sent)."""
        claimed: set[str] = set()
        async with self._db.transaction() as conn:
            for key in keys:
                cursor = await conn.execute(
                    "INSERT INTO mock_nudges (round_id, nudge, sent_at) VALUES (?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (round_id, key, to_iso(now)),
                )
                if cursor.rowcount == 1:
                    claimed.add(key)
        return claimed
