"""Onsite loops: one active loop per member, its track, its end, and its rounds."""

from __future__ import annotations

from datetime import datetime

from bot.domain.mock import MockRound
from bot.domain.mock_loop import LoopTrack, MockLoop
from bot.store._convert import to_iso
from bot.store.mocks.rows import MockTable, loop_of, round_of


class MockLoopsTable(MockTable):
    async def active_loop(self, guild_id: int, user_id: int) -> MockLoop | None:
        row = await self._db.fetchone(
            "SELECT * FROM mock_loops WHERE guild_id = ? AND user_id = ? AND status = 'active'",
            (guild_id, user_id),
        )
        return loop_of(row) if row else None

    async def loop(self, loop_id: int) -> MockLoop | None:
        row = await self._db.fetchone("SELECT * FROM mock_loops WHERE loop_id = ?", (loop_id,))
        return loop_of(row) if row else None

    async def start_loop(
        self, guild_id: int, user_id: int, track: LoopTrack, now: datetime
    ) -> MockLoop | None:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO mock_loops (guild_id, user_id, track, started_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *",
                (guild_id, user_id, track, to_iso(now)),
            )
            row = await cursor.fetchone()
        return loop_of(row) if row else None

    async def set_loop_track(self, loop_id: int, track: LoopTrack) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE mock_loops SET track = ? WHERE loop_id = ? AND status = 'active'",
                (track, loop_id),
            )
            return cursor.rowcount == 1

    async def finish_loop(
        self, loop_id: int, status: str, decision: str | None, now: datetime
    ) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE mock_loops SET status = ?, decision = ?, finished_at = ? "
                "WHERE loop_id = ? AND status = 'active'",
                (status, decision, to_iso(now), loop_id),
            )
            return cursor.rowcount == 1

    async def loop_rounds(self, loop_id: int) -> list[MockRound]:
        """The loop's rounds that hold a position (abandoned attempts excluded)."""
        rows = await self._db.fetchall(
            "SELECT * FROM mock_rounds WHERE loop_id = ? AND status != 'abandoned' "
            "ORDER BY loop_position",
            (loop_id,),
        )
        return [round_of(row) for row in rows]
