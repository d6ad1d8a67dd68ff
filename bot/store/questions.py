from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.content.schema import Question
from bot.store._convert import to_iso
from bot.store.database import Database


class QuestionRepo:
    """A guild's own questions and its switched-off ones. Every query is scoped by guild."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def custom(self, guild_id: int) -> list[Question]:
        rows = await self._db.fetchall(
            "SELECT body_json FROM custom_questions WHERE guild_id = ? ORDER BY question_id",
            (guild_id,),
        )
        return [Question.model_validate_json(row["body_json"]) for row in rows]

    async def custom_one(self, guild_id: int, question_id: str) -> Question | None:
        row = await self._db.fetchone(
            "SELECT body_json FROM custom_questions WHERE guild_id = ? AND question_id = ?",
            (guild_id, question_id),
        )
        return Question.model_validate_json(row["body_json"]) if row else None

    async def existing_ids(self, guild_id: int, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        marks = ",".join("?" for _ in ids)
        rows = await self._db.fetchall(
            f"SELECT question_id FROM custom_questions WHERE guild_id = ? "
            f"AND question_id IN ({marks})",
            (guild_id, *ids),
        )
        return {row["question_id"] for row in rows}

    async def add_all(
        self, guild_id: int, questions: Sequence[Question], *, added_by: int, now: datetime
    ) -> None:
        """All or nothing: one transaction; a clash on any id rolls back every insert."""
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO custom_questions (guild_id, question_id, round, difficulty, "
                "body_json, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        guild_id,
                        q.id,
                        q.round,
                        q.difficulty,
                        q.model_dump_json(),
                        added_by,
                        to_iso(now),
                    )
                    for q in questions
                ],
            )

    async def disabled(self, guild_id: int) -> set[str]:
        rows = await self._db.fetchall(
            "SELECT question_id FROM disabled_questions WHERE guild_id = ?", (guild_id,)
        )
        return {row["question_id"] for row in rows}

    async def disable(self, guild_id: int, question_id: str, *, by: int, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO disabled_questions (guild_id, question_id, disabled_by, disabled_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, question_id, by, to_iso(now)),
            )
            return cursor.rowcount == 1

    async def enable(self, guild_id: int, question_id: str) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM disabled_questions WHERE guild_id = ? AND question_id = ?",
                (guild_id, question_id),
            )
            return cursor.rowcount == 1
