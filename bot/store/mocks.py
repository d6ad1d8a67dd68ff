"""Mock rounds, their turns and nudges, onsite loops and per-guild mock settings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.grading import Grade
from bot.domain.mock import MockRound, MockSettings, MockTurn, Speaker
from bot.domain.mock_loop import LoopTrack, MockLoop
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store._convert import from_iso, to_iso
from bot.store._shards import shard_filter
from bot.store.admissions import settle_in
from bot.store.database import Database
from bot.store.points import PointsClaim, award_in


def _round(row: Any) -> MockRound:
    started = from_iso(row["started_at"])
    last_turn = from_iso(row["last_turn_at"])
    assert started is not None and last_turn is not None
    return MockRound(
        round_id=row["round_id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        channel_id=row["channel_id"],
        thread_id=row["thread_id"],
        question_id=row["question_id"],
        round=row["round"],
        difficulty=row["difficulty"],
        time_box_minutes=row["time_box_minutes"],
        locale=row["locale"],
        loop_id=row["loop_id"],
        loop_position=row["loop_position"],
        status=row["status"],
        end_reason=row["end_reason"],
        local_date=row["local_date"],
        started_at=started,
        last_turn_at=last_turn,
        ended_at=from_iso(row["ended_at"]),
        score_attempts=row["score_attempts"],
        retry_after=from_iso(row["retry_after"]),
        grade=Grade.from_dict(json.loads(row["grade_json"])) if row["grade_json"] else None,
        points=row["points"],
        ended_by=row["ended_by"],
    )


def _turn(row: Any) -> MockTurn:
    created = from_iso(row["created_at"])
    assert created is not None
    return MockTurn(row["seq"], row["speaker"], row["content"], row["source"], created)


def _loop(row: Any) -> MockLoop:
    started = from_iso(row["started_at"])
    assert started is not None
    return MockLoop(
        loop_id=row["loop_id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        track=row["track"],
        status=row["status"],
        decision=row["decision"],
        started_at=started,
    )


class MockRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- settings ---------------------------------------------------------------------------

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

    # --- rounds -----------------------------------------------------------------------------

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
    ) -> MockRound | None:
        """Claim the member's one active round; None when one is already active (or the loop
        position is taken)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO mock_rounds (guild_id, user_id, channel_id, question_id, round,
                    difficulty, time_box_minutes, locale, loop_id, loop_position, local_date,
                    started_at, last_turn_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
                ),
            )
            row = await cursor.fetchone()
        return _round(row) if row else None

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
        return _round(row)

    async def get(self, round_id: int) -> MockRound | None:
        row = await self._db.fetchone("SELECT * FROM mock_rounds WHERE round_id = ?", (round_id,))
        return _round(row) if row else None

    async def by_thread(self, thread_id: int) -> MockRound | None:
        row = await self._db.fetchone("SELECT * FROM mock_rounds WHERE thread_id = ?", (thread_id,))
        return _round(row) if row else None

    async def current(self, guild_id: int, user_id: int) -> MockRound | None:
        """The member's opening or active round."""
        row = await self._db.fetchone(
            "SELECT * FROM mock_rounds WHERE guild_id = ? AND user_id = ? "
            "AND status IN ('opening', 'active')",
            (guild_id, user_id),
        )
        return _round(row) if row else None

    async def with_status(self, status: str, shards: ShardPlan = EVERY_GUILD) -> list[MockRound]:
        where, params = shard_filter(shards)
        rows = await self._db.fetchall(
            f"SELECT * FROM mock_rounds WHERE status = ?{where} ORDER BY round_id",
            (status, *params),
        )
        return [_round(row) for row in rows]

    async def scoring_due(self, now: datetime, shards: ShardPlan = EVERY_GUILD) -> list[MockRound]:
        where, params = shard_filter(shards)
        rows = await self._db.fetchall(
            "SELECT * FROM mock_rounds WHERE status = 'scoring' "
            f"AND (retry_after IS NULL OR retry_after <= ?){where} ORDER BY round_id",
            (to_iso(now), *params),
        )
        return [_round(row) for row in rows]

    async def recent(self, guild_id: int, user_id: int, limit: int) -> list[MockRound]:
        rows = await self._db.fetchall(
            "SELECT * FROM mock_rounds WHERE guild_id = ? AND user_id = ? "
            "AND status = 'closed' ORDER BY round_id DESC LIMIT ?",
            (guild_id, user_id, limit),
        )
        return [_round(row) for row in rows]

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
                SELECT question_id FROM answers WHERE guild_id = ? AND user_id = ?
            ) AS met GROUP BY question_id
            """,
            (guild_id, user_id, guild_id, user_id),
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

    async def close_scoring_as_abandoned(self, round_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE mock_rounds SET status = 'abandoned', retry_after = NULL "
                "WHERE round_id = ? AND status = 'scoring'",
                (round_id,),
            )

    async def delay_scoring(
        self,
        round_id: int,
        retry_after: datetime,
        *,
        stand_in: Grade | None = None,
        points: int | None = None,
        claim: PointsClaim | None = None,
        now: datetime | None = None,
    ) -> None:
        """Retry the scorecard later. A `stand_in` (the offline scorecard shown meanwhile) is
        kept with its points in the same transaction; the round is still being scored, and the
        final scorecard replaces both (its points take the same ledger row)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE mock_rounds SET score_attempts = score_attempts + 1, retry_after = ? "
                "WHERE round_id = ? AND status = 'scoring'",
                (to_iso(retry_after), round_id),
            )
            if stand_in is None or cursor.rowcount != 1:
                return
            await conn.execute(
                "UPDATE mock_rounds SET overall = ?, max_score = ?, hiring_signal = ?, "
                "grade_json = ?, points = ? WHERE round_id = ?",
                (
                    stand_in.overall,
                    stand_in.max,
                    stand_in.hiring_signal,
                    json.dumps(stand_in.to_dict()),
                    points,
                    round_id,
                ),
            )
            if claim is not None:
                await award_in(conn, claim, now or retry_after)

    async def save_scorecard(
        self,
        round_id: int,
        grade: Grade,
        points: int | None,
        now: datetime,
        *,
        claim: PointsClaim | None = None,
        admission_id: int | None = None,
    ) -> bool:
        """Close the round with its scorecard, its points (`claim`) and the settling of the AI
        call's admission, in one transaction; False when the round was not being scored (the
        admission is settled all the same)."""
        async with self._db.transaction() as conn:
            await settle_in(conn, admission_id)
            cursor = await conn.execute(
                """
                UPDATE mock_rounds SET status = 'closed', overall = ?, max_score = ?,
                    hiring_signal = ?, grade_json = ?, points = ?, retry_after = NULL,
                    score_attempts = score_attempts + 1
                WHERE round_id = ? AND status = 'scoring'
                """,
                (
                    grade.overall,
                    grade.max,
                    grade.hiring_signal,
                    json.dumps(grade.to_dict()),
                    points,
                    round_id,
                ),
            )
            if cursor.rowcount != 1:
                return False
            if claim is not None:
                await award_in(conn, claim, now)
            return True

    # --- turns and nudges -------------------------------------------------------------------

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
        return [_turn(row) for row in rows]

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

    # --- loops ------------------------------------------------------------------------------

    async def active_loop(self, guild_id: int, user_id: int) -> MockLoop | None:
        row = await self._db.fetchone(
            "SELECT * FROM mock_loops WHERE guild_id = ? AND user_id = ? AND status = 'active'",
            (guild_id, user_id),
        )
        return _loop(row) if row else None

    async def loop(self, loop_id: int) -> MockLoop | None:
        row = await self._db.fetchone("SELECT * FROM mock_loops WHERE loop_id = ?", (loop_id,))
        return _loop(row) if row else None

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
        return _loop(row) if row else None

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
        return [_round(row) for row in rows]
