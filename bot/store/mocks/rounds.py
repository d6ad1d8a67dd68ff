"""Mock rounds from the claim to the close: one active round per member, found by id, thread
or status."""

from __future__ import annotations

from datetime import datetime

from bot.domain.mock import MockRound
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store._convert import to_iso
from bot.store._shards import shard_filter
from bot.store.mocks.rows import MockTable, round_of


class MockRoundsTable(MockTable):
    async def claim(
        self,
        *,
        guild_id: int,
        user_id: int,
        channel_id: int,
        question_id: str,
        round_name: str,
        difficulty: str,
        time_box_minutes: int,
        locale: str | None,
        loop_id: int | None,
        loop_position: int | None,
        local_date: str,
        now: datetime,
        second_question_id: str | None = None,
    ) -> MockRound | None:
        """Claim the member's one active round; None when one is already active (or the loop
        position is taken)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO mock_rounds (guild_id, user_id, channel_id, question_id, round,
                    difficulty, time_box_minutes, locale, loop_id, loop_position, local_date,
                    started_at, last_turn_at, second_question_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                RETURNING *
                """,
                (
                    guild_id,
                    user_id,
                    channel_id,
                    question_id,
                    round_name,
                    difficulty,
                    time_box_minutes,
                    locale,
                    loop_id,
                    loop_position,
                    local_date,
                    to_iso(now),
                    to_iso(now),
                    second_question_id,
                ),
            )
            row = await cursor.fetchone()
        return round_of(row) if row else None

    async def release(self, round_id: int) -> None:
        """Forget a claim whose thread could not be opened: it never started."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM mock_rounds WHERE round_id = ? AND status = 'opening'", (round_id,)
            )

    async def activate(
        self, round_id: int, thread_id: int, opening: str, now: datetime
    ) -> MockRound | None:
        """The thread is open: the clock starts now and the opening is the first turn."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE mock_rounds SET status = 'active', thread_id = ?, started_at = ?, "
                "last_turn_at = ? WHERE round_id = ? AND status = 'opening' RETURNING *",
                (thread_id, to_iso(now), to_iso(now), round_id),
            )
            row = await cursor.fetchone()
            if row is None:
                return None
            await conn.execute(
                "INSERT INTO mock_turns (round_id, seq, speaker, content, source, created_at) "
                "VALUES (?, 1, 'interviewer', ?, 'opening', ?)",
                (round_id, opening, to_iso(now)),
            )
        return round_of(row)

    async def get(self, round_id: int) -> MockRound | None:
        row = await self._db.fetchone("SELECT * FROM mock_rounds WHERE round_id = ?", (round_id,))
        return round_of(row) if row else None

    async def by_thread(self, thread_id: int) -> MockRound | None:
        row = await self._db.fetchone("SELECT * FROM mock_rounds WHERE thread_id = ?", (thread_id,))
        return round_of(row) if row else None

    async def current(self, guild_id: int, user_id: int) -> MockRound | None:
        """The member's opening or active round."""
        row = await self._db.fetchone(
            "SELECT * FROM mock_rounds WHERE guild_id = ? AND user_id = ? "
            "AND status IN ('opening', 'active')",
            (guild_id, user_id),
        )
        return round_of(row) if row else None

    async def with_status(self, status: str, shards: ShardPlan = EVERY_GUILD) -> list[MockRound]:
        where, params = shard_filter(shards)
        rows = await self._db.fetchall(
            f"SELECT * FROM mock_rounds WHERE status = ?{where} ORDER BY round_id",
            (status, *params),
        )
        return [round_of(row) for row in rows]

    async def scoring_due(self, now: datetime, shards: ShardPlan = EVERY_GUILD) -> list[MockRound]:
        where, params = shard_filter(shards)
        rows = await self._db.fetchall(
            "SELECT * FROM mock_rounds WHERE status = 'scoring' "
            f"AND (retry_after IS NULL OR retry_after <= ?){where} ORDER BY round_id",
            (to_iso(now), *params),
        )
        return [round_of(row) for row in rows]

    async def recent(self, guild_id: int, user_id: int, limit: int) -> list[MockRound]:
        rows = await self._db.fetchall(
            "SELECT * FROM mock_rounds WHERE guild_id = ? AND user_id = ? "
            "AND status = 'closed' ORDER BY round_id DESC LIMIT ?",
            (guild_id, user_id, limit),
        )
        return [round_of(row) for row in rows]

    async def started_on(self, guild_id: int, user_id: int, local_date: str) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM mock_rounds "
            "WHERE guild_id = ? AND user_id = ? AND local_date = ?",
            (guild_id, user_id, local_date),
        )
        return int(row["n"]) if row else 0

    async def question_counts(self, guild_id: int, user_id: int) -> dict[str, int]:
        """How often the member met each question, in mock rounds or as daily answers."""
        rows = await self._db.fetchall(
            """
            SELECT question_id, COUNT(*) AS n FROM (
                SELECT question_id FROM mock_rounds WHERE guild_id = ? AND user_id = ?
                UNION ALL
                SELECT second_question_id FROM mock_rounds
                WHERE guild_id = ? AND user_id = ? AND second_question_id IS NOT NULL
                UNION ALL
                SELECT question_id FROM answers WHERE guild_id = ? AND user_id = ?
            ) AS met GROUP BY question_id
            """,
            (guild_id, user_id, guild_id, user_id, guild_id, user_id),
        )
        return {row["question_id"]: int(row["n"]) for row in rows}

    async def close(
        self, round_id: int, status: str, reason: str, now: datetime, *, by: int | None = None
    ) -> bool:
        """Close an active round once: whoever closes it first (the member, the sweep) wins."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE mock_rounds SET status = ?, end_reason = ?, ended_at = ?, ended_by = ? "
                "WHERE round_id = ? AND status IN ('opening', 'active')",
                (status, reason, to_iso(now), by, round_id),
            )
            return cursor.rowcount == 1
