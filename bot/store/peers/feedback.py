"""Peer feedback forms: saved with the giver's points in one transaction, delivered once."""

from __future__ import annotations

import json

from bot.domain.peer_feedback import PeerFeedback
from bot.store._convert import to_iso
from bot.store.database import Database
from bot.store.peers.rows import feedback_of
from bot.store.points import PointsClaim, award_in


class PeerFeedbackRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

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
        return feedback_of(row) if row else None

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
        return sorted((feedback_of(row) for row in rows), key=lambda f: f.created_at)
