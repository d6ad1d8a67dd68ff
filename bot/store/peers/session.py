"""Peer sessions: finding them, the members turning up, the swap, the end, no-shows, and the
AI-notes consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.peer_session import PeerSession
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store._convert import to_iso
from bot.store._shards import shard_filter
from bot.store.database import Database
from bot.store.peers.rows import OPEN, session_of


@dataclass(frozen=True)
class NotesRetry:
    """A session whose AI notes for `halves` wait, after `attempts` failed attempts."""

    session: PeerSession
    halves: frozenset[int]
    attempts: int


class PeerSessionRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def session(self, session_id: int) -> PeerSession | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_sessions WHERE session_id = ?", (session_id,)
        )
        return session_of(row) if row else None

    async def session_in_thread(self, thread_id: int) -> PeerSession | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_sessions WHERE thread_id = ?", (thread_id,)
        )
        return session_of(row) if row else None

    async def open_session_of(self, guild_id: int, user_id: int) -> PeerSession | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_sessions WHERE guild_id = ? AND status IN (?, ?) "
            "AND (first_user_id = ? OR second_user_id = ?) ORDER BY session_id DESC LIMIT 1",
            (guild_id, *OPEN, user_id, user_id),
        )
        return session_of(row) if row else None

    async def sessions_with_status(
        self, status: str, shards: ShardPlan = EVERY_GUILD
    ) -> list[PeerSession]:
        where, params = shard_filter(shards)
        rows = await self._db.fetchall(
            f"SELECT * FROM peer_sessions WHERE status = ?{where} ORDER BY session_id",
            (status, *params),
        )
        return [session_of(row) for row in rows]

    async def mark_seen(self, session_id: int, user_id: int, now: datetime) -> bool:
        """Record that the member turned up; True the first time."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """
                UPDATE peer_sessions SET
                    first_seen_at = CASE WHEN first_user_id = ?1
                        THEN COALESCE(first_seen_at, ?2) ELSE first_seen_at END,
                    second_seen_at = CASE WHEN second_user_id = ?1
                        THEN COALESCE(second_seen_at, ?2) ELSE second_seen_at END
                WHERE session_id = ?3 AND (
                    (first_user_id = ?1 AND first_seen_at IS NULL)
                    OR (second_user_id = ?1 AND second_seen_at IS NULL))
                """,
                (user_id, to_iso(now), session_id),
            )
            return cursor.rowcount == 1

    async def swap(self, session_id: int, question_id: str, now: datetime) -> PeerSession | None:
        """Start the second half; None when it already started or the session is over."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_sessions SET half = 2, question_2 = ?, half_started_at = ? "
                "WHERE session_id = ? AND status = 'active' AND half = 1 RETURNING *",
                (question_id, to_iso(now), session_id),
            )
            row = await cursor.fetchone()
        return session_of(row) if row else None

    async def end(self, session_id: int, now: datetime) -> PeerSession | None:
        """Close an active session; None when it was already closed (a second press)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_sessions SET status = 'ended', ended_at = ? "
                "WHERE session_id = ? AND status = 'active' RETURNING *",
                (to_iso(now), session_id),
            )
            row = await cursor.fetchone()
        return session_of(row) if row else None

    async def record_no_show(
        self, session_id: int, absent_id: int, now: datetime
    ) -> PeerSession | None:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_sessions SET status = 'no_show', no_show_user_id = ?, ended_at = ? "
                "WHERE session_id = ? AND status = 'active' RETURNING *",
                (absent_id, to_iso(now), session_id),
            )
            row = await cursor.fetchone()
        return session_of(row) if row else None

    async def no_shows(self, guild_id: int, user_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM peer_sessions WHERE guild_id = ? AND no_show_user_id = ?",
            (guild_id, user_id),
        )
        return int(row["n"]) if row else 0

    async def display_name(self, guild_id: int, user_id: int) -> str | None:
        """The name the member had when they last joined the queue."""
        row = await self._db.fetchone(
            "SELECT display_name FROM members WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return str(row["display_name"]) if row else None

    async def decline_ai_notes(self, session_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE peer_sessions SET ai_notes = 0 WHERE session_id = ?", (session_id,)
            )

    async def ai_notes_allowed(self, session_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT ai_notes FROM peer_sessions WHERE session_id = ?", (session_id,)
        )
        return row is not None and bool(row["ai_notes"])

    async def delay_notes(
        self, session_id: int, halves: frozenset[int], attempts: int, retry_after: datetime
    ) -> None:
        """The AI notes of these halves wait for a retry at `retry_after` (none: nothing waits)."""
        pending = sum(1 << (half - 1) for half in halves)
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE peer_sessions SET notes_pending = ?, notes_attempts = ?, "
                "notes_retry_after = ? WHERE session_id = ?",
                (pending, attempts, to_iso(retry_after) if pending else None, session_id),
            )

    async def notes_due(
        self, now: datetime, lease_until: datetime, shards: ShardPlan = EVERY_GUILD, limit: int = 20
    ) -> list[NotesRetry]:
        """Sessions whose AI notes wait and are due, each claimed until `lease_until` (so one
        process retries it; a crash leaves it to the sweep after the lease)."""
        where, params = shard_filter(shards)
        rows = await self._db.fetchall(
            "SELECT * FROM peer_sessions WHERE notes_pending != 0 AND notes_retry_after <= ?"
            f"{where} ORDER BY notes_retry_after LIMIT ?",
            (to_iso(now), *params, limit),
        )
        claimed = []
        for row in rows:
            async with self._db.transaction() as conn:
                cursor = await conn.execute(
                    "UPDATE peer_sessions SET notes_retry_after = ? WHERE session_id = ? "
                    "AND notes_pending = ? AND notes_retry_after = ?",
                    (
                        to_iso(lease_until),
                        row["session_id"],
                        row["notes_pending"],
                        row["notes_retry_after"],
                    ),
                )
            if cursor.rowcount == 1:
                halves = frozenset(h for h in (1, 2) if row["notes_pending"] & (1 << (h - 1)))
                claimed.append(NotesRetry(session_of(row), halves, row["notes_attempts"]))
        return claimed
