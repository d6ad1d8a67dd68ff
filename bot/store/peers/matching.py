"""Matching: two queue entries become a session in one transaction, undone if the room fails;
and what matching reads (recent partners, questions already met)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain.peer_matching import Match
from bot.domain.peer_session import PeerSession
from bot.store._convert import to_iso
from bot.store.database import Database
from bot.store.peers.rows import session_of


class _MatchLost(Exception):
    """One of the two entries left the queue meanwhile: roll the match back."""


class PeerMatchRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create_session(
        self, match: Match, *, question_id: str, channel_id: int, now: datetime
    ) -> PeerSession | None:
        """Take both entries out of the queue and open a session, or nothing when either entry
        is no longer waiting."""
        first, second = match.first, match.second
        try:
            async with self._db.transaction() as conn:
                cursor = await conn.execute(
                    "UPDATE peer_queue SET status = 'matched', closed_at = ? "
                    "WHERE entry_id IN (?, ?) AND status = 'waiting'",
                    (to_iso(now), first.entry_id, second.entry_id),
                )
                if cursor.rowcount != 2:
                    raise _MatchLost
                cursor = await conn.execute(
                    """
                    INSERT INTO peer_sessions (guild_id, round, first_user_id, second_user_id,
                        first_level, second_level, question_1, channel_id, starts_at,
                        half_started_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    RETURNING *
                    """,
                    (
                        first.guild_id,
                        first.round,
                        first.user_id,
                        second.user_id,
                        first.level,
                        second.level,
                        question_id,
                        channel_id,
                        to_iso(match.starts_at),
                        to_iso(match.starts_at),
                        to_iso(now),
                    ),
                )
                row = await cursor.fetchone()
                assert row is not None
                await conn.execute(
                    "UPDATE peer_queue SET session_id = ? WHERE entry_id IN (?, ?)",
                    (row["session_id"], first.entry_id, second.entry_id),
                )
        except _MatchLost:
            return None
        return session_of(row)

    async def opened(self, session_id: int, thread_id: int) -> PeerSession:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_sessions SET status = 'active', thread_id = ? "
                "WHERE session_id = ? RETURNING *",
                (thread_id, session_id),
            )
            row = await cursor.fetchone()
        assert row is not None
        return session_of(row)

    async def undo(self, session_id: int, now: datetime) -> None:
        """The room could not be opened: cancel the session and put both back in the queue
        (unless their time to wait has run out, or they queued again meanwhile)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE peer_sessions SET status = 'cancelled', ended_at = ? "
                "WHERE session_id = ? AND status = 'opening'",
                (to_iso(now), session_id),
            )
            await conn.execute(
                "UPDATE OR IGNORE peer_queue SET status = 'waiting', closed_at = NULL, "
                "session_id = NULL WHERE session_id = ? AND status = 'matched' AND latest >= ?",
                (session_id, to_iso(now)),
            )

    async def recent_partners(self, guild_id: int, user_id: int, since: datetime) -> set[int]:
        """Members `user_id` had a session with (one that took place) since `since`."""
        rows = await self._db.fetchall(
            """
            SELECT CASE WHEN first_user_id = ?1 THEN second_user_id ELSE first_user_id END
                AS partner
            FROM peer_sessions
            WHERE guild_id = ?2 AND (first_user_id = ?1 OR second_user_id = ?1)
              AND status IN ('opening', 'active', 'ended') AND created_at >= ?3
            """,
            (user_id, guild_id, to_iso(since)),
        )
        return {int(row["partner"]) for row in rows}

    async def questions_seen(self, guild_id: int, user_ids: Iterable[int]) -> dict[str, int]:
        """How often each question came up in earlier sessions of these members."""
        users = list(user_ids)
        marks = ", ".join("?" for _ in users)
        rows = await self._db.fetchall(
            f"""
            SELECT question_1 AS q FROM peer_sessions
            WHERE guild_id = ? AND (first_user_id IN ({marks}) OR second_user_id IN ({marks}))
            UNION ALL
            SELECT question_2 FROM peer_sessions
            WHERE guild_id = ? AND question_2 IS NOT NULL
              AND (first_user_id IN ({marks}) OR second_user_id IN ({marks}))
            """,
            (guild_id, *users, *users, guild_id, *users, *users),
        )
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["q"]] = counts.get(row["q"], 0) + 1
        return counts
