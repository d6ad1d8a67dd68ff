"""Peer sessions: the queue, sessions, reminders claimed once, and feedback."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.domain.peer_feedback import PeerFeedback, PeerScores
from bot.domain.peer_matching import Availability, Match, PeerSettings, QueueEntry
from bot.domain.peer_session import PeerSession
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store._convert import from_iso, to_iso
from bot.store._shards import shard_filter
from bot.store.database import Database
from bot.store.points import PointsClaim, award_in

_OPEN = ("opening", "active")


def _at(value: str) -> datetime:
    parsed = from_iso(value)
    assert parsed is not None
    return parsed


def _entry(row: Any) -> QueueEntry:
    return QueueEntry(
        entry_id=row["entry_id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        round=row["round"],
        level=row["level"],
        channel_id=row["channel_id"],
        joined_at=_at(row["joined_at"]),
        earliest=_at(row["earliest"]),
        latest=_at(row["latest"]),
        windowed=bool(row["windowed"]),
        front=bool(row["front"]),
    )


def _session(row: Any) -> PeerSession:
    questions = (row["question_1"],) + ((row["question_2"],) if row["question_2"] else ())
    return PeerSession(
        session_id=row["session_id"],
        guild_id=row["guild_id"],
        round=row["round"],
        first_user_id=row["first_user_id"],
        second_user_id=row["second_user_id"],
        first_level=row["first_level"],
        second_level=row["second_level"],
        question_ids=questions,
        channel_id=row["channel_id"],
        thread_id=row["thread_id"],
        status=row["status"],
        half=row["half"],
        starts_at=_at(row["starts_at"]),
        half_started_at=_at(row["half_started_at"]),
        created_at=_at(row["created_at"]),
        ended_at=from_iso(row["ended_at"]),
        first_seen_at=from_iso(row["first_seen_at"]),
        second_seen_at=from_iso(row["second_seen_at"]),
        no_show_user_id=row["no_show_user_id"],
    )


def _feedback(row: Any) -> PeerFeedback:
    return PeerFeedback(
        session_id=row["session_id"],
        guild_id=row["guild_id"],
        giver_id=row["giver_id"],
        receiver_id=row["receiver_id"],
        question_id=row["question_id"],
        scores=PeerScores(
            tuple((name, int(score)) for name, score in json.loads(row["scores_json"]))
        ),
        went_well=row["went_well"],
        to_improve=row["to_improve"],
        created_at=_at(row["created_at"]),
    )


class _MatchLost(Exception):
    """One of the two entries left the queue meanwhile: roll the match back."""


class PeerRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ------------------------------------------------------------------ settings
    async def settings(self, guild_id: int) -> PeerSettings:
        row = await self._db.fetchone("SELECT * FROM peer_settings WHERE guild_id = ?", (guild_id,))
        if row is None:
            return PeerSettings(guild_id)
        return PeerSettings(
            guild_id, row["channel_id"], row["expiry_minutes"], row["no_show_minutes"]
        )

    async def save_settings(self, settings: PeerSettings, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                """
                INSERT INTO peer_settings (guild_id, channel_id, expiry_minutes, no_show_minutes,
                    updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,
                    expiry_minutes = excluded.expiry_minutes,
                    no_show_minutes = excluded.no_show_minutes, updated_at = excluded.updated_at
                """,
                (
                    settings.guild_id,
                    settings.channel_id,
                    settings.expiry_minutes,
                    settings.no_show_minutes,
                    to_iso(now),
                ),
            )

    # ------------------------------------------------------------------ queue
    async def add_entry(
        self,
        *,
        guild_id: int,
        user_id: int,
        round_name: str,
        level: str | None,
        channel_id: int,
        availability: Availability,
        joined_at: datetime,
        front: bool = False,
    ) -> QueueEntry | None:
        """Queue the member; None when they already wait in this guild."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO peer_queue (guild_id, user_id, round, level, channel_id, joined_at,
                    earliest, latest, windowed, front)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (guild_id, user_id) WHERE status = 'waiting' DO NOTHING
                RETURNING *
                """,
                (
                    guild_id,
                    user_id,
                    round_name,
                    level,
                    channel_id,
                    to_iso(joined_at),
                    to_iso(availability.earliest),
                    to_iso(availability.latest),
                    int(availability.windowed),
                    int(front),
                ),
            )
            row = await cursor.fetchone()
        return _entry(row) if row else None

    async def waiting(self, guild_id: int) -> list[QueueEntry]:
        rows = await self._db.fetchall(
            "SELECT * FROM peer_queue WHERE guild_id = ? AND status = 'waiting'", (guild_id,)
        )
        return sorted((_entry(row) for row in rows), key=lambda e: e.order)

    async def waiting_entry(self, guild_id: int, user_id: int) -> QueueEntry | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_queue WHERE guild_id = ? AND user_id = ? AND status = 'waiting'",
            (guild_id, user_id),
        )
        return _entry(row) if row else None

    async def session_entry(self, session_id: int, user_id: int) -> QueueEntry | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_queue WHERE session_id = ? AND user_id = ?", (session_id, user_id)
        )
        return _entry(row) if row else None

    async def leave(self, guild_id: int, user_id: int, now: datetime) -> QueueEntry | None:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_queue SET status = 'left', closed_at = ? "
                "WHERE guild_id = ? AND user_id = ? AND status = 'waiting' RETURNING *",
                (to_iso(now), guild_id, user_id),
            )
            row = await cursor.fetchone()
        return _entry(row) if row else None

    async def expire(self, now: datetime, shards: ShardPlan = EVERY_GUILD) -> list[QueueEntry]:
        """Close every waiting entry (of the shards' guilds) whose last possible start has
        passed."""
        where, params = shard_filter(shards)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_queue SET status = 'expired', closed_at = ? "
                f"WHERE status = 'waiting' AND latest < ?{where} RETURNING *",
                (to_iso(now), to_iso(now), *params),
            )
            rows = await cursor.fetchall()
        return [_entry(row) for row in rows]

    # ------------------------------------------------------------------ sessions
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
        return _session(row)

    async def opened(self, session_id: int, thread_id: int) -> PeerSession:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_sessions SET status = 'active', thread_id = ? "
                "WHERE session_id = ? RETURNING *",
                (thread_id, session_id),
            )
            row = await cursor.fetchone()
        assert row is not None
        return _session(row)

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

    async def session(self, session_id: int) -> PeerSession | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_sessions WHERE session_id = ?", (session_id,)
        )
        return _session(row) if row else None

    async def session_in_thread(self, thread_id: int) -> PeerSession | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_sessions WHERE thread_id = ?", (thread_id,)
        )
        return _session(row) if row else None

    async def open_session_of(self, guild_id: int, user_id: int) -> PeerSession | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_sessions WHERE guild_id = ? AND status IN (?, ?) "
            "AND (first_user_id = ? OR second_user_id = ?) ORDER BY session_id DESC LIMIT 1",
            (guild_id, *_OPEN, user_id, user_id),
        )
        return _session(row) if row else None

    async def sessions_with_status(
        self, status: str, shards: ShardPlan = EVERY_GUILD
    ) -> list[PeerSession]:
        where, params = shard_filter(shards)
        rows = await self._db.fetchall(
            f"SELECT * FROM peer_sessions WHERE status = ?{where} ORDER BY session_id",
            (status, *params),
        )
        return [_session(row) for row in rows]

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
        return _session(row) if row else None

    async def end(self, session_id: int, now: datetime) -> PeerSession | None:
        """Close an active session; None when it was already closed (a second press)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_sessions SET status = 'ended', ended_at = ? "
                "WHERE session_id = ? AND status = 'active' RETURNING *",
                (to_iso(now), session_id),
            )
            row = await cursor.fetchone()
        return _session(row) if row else None

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
        return _session(row) if row else None

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

    async def display_name(self, guild_id: int, user_id: int) -> str | None:
        """The name the member had when they last joined the queue."""
        row = await self._db.fetchone(
            "SELECT display_name FROM members WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return str(row["display_name"]) if row else None

    async def no_shows(self, guild_id: int, user_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM peer_sessions WHERE guild_id = ? AND no_show_user_id = ?",
            (guild_id, user_id),
        )
        return int(row["n"]) if row else 0

    # ------------------------------------------------------------------ reminders
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

    # ------------------------------------------------------------------ feedback
    async def save_feedback(self, feedback: PeerFeedback, points: PointsClaim) -> bool:
        """Store the form and award the giver's `points` in one transaction; False when this
        member already sent one for the session."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO peer_feedback (session_id, giver_id, receiver_id, guild_id,
                    question_id, scores_json, went_well, to_improve, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING RETURNING session_id
                """,
                (
                    feedback.session_id,
                    feedback.giver_id,
                    feedback.receiver_id,
                    feedback.guild_id,
                    feedback.question_id,
                    json.dumps([list(pair) for pair in feedback.scores.scores]),
                    feedback.went_well,
                    feedback.to_improve,
                    to_iso(feedback.created_at),
                ),
            )
            if await cursor.fetchone() is None:
                return False
            await award_in(conn, points, feedback.created_at)
            return True

    async def feedback_from(self, session_id: int, giver_id: int) -> PeerFeedback | None:
        row = await self._db.fetchone(
            "SELECT * FROM peer_feedback WHERE session_id = ? AND giver_id = ?",
            (session_id, giver_id),
        )
        return _feedback(row) if row else None

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

    async def mark_delivered(self, session_id: int, giver_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE peer_feedback SET delivered = 1 WHERE session_id = ? AND giver_id = ?",
                (session_id, giver_id),
            )

    async def claim_undelivered(self, guild_id: int, receiver_id: int) -> list[PeerFeedback]:
        """Take every form for the member that could not be sent to them yet."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE peer_feedback SET delivered = 1 WHERE guild_id = ? AND receiver_id = ? "
                "AND delivered = 0 RETURNING *",
                (guild_id, receiver_id),
            )
            rows = await cursor.fetchall()
        return sorted((_feedback(row) for row in rows), key=lambda f: f.created_at)
