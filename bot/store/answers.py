from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.domain.models import StoredAnswer
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store._convert import from_iso, to_iso
from bot.store._shards import shard_filter
from bot.store.admissions import settle_in
from bot.store.database import Connection, Database
from bot.store.points import Awarded, PointsClaim, award_in
from bot.store.streaks import StreakRewards, streak_rewards_in


def _answer(row: Any) -> StoredAnswer:
    submitted = from_iso(row["submitted_at"])
    assert submitted is not None
    return StoredAnswer(
        answer_id=row["answer_id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        post_id=row["post_id"],
        question_id=row["question_id"],
        source=row["source"],
        content=row["content"],
        locale=row["locale"],
        status=row["status"],
        local_date=row["local_date"],
        submitted_at=submitted,
        revision=row["revision"],
    )


PENDING_FALLBACK = "claude_pending"  # the stand-in grade's fallback reason (bot.domain.spend)


@dataclass(frozen=True)
class StoredGrade:
    answer_id: int
    revision: int
    overall: float
    max_score: int
    grader: str
    detail: dict[str, Any]
    fallback: str | None


@dataclass(frozen=True)
class GradeRecord:
    """What the store keeps of one grade, usage included, so spend can be computed later."""

    overall: float
    max_score: int
    grader: str
    model: str | None
    prompt_version: str
    detail_json: str
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    fallback: str | None = None


@dataclass(frozen=True)
class SavedGrade:
    """A grade stored for the answer's current revision, and the points that came with it."""

    awarded: Awarded | None  # None when no points were claimed
    rewards: StreakRewards | None = None  # None when the points recorded no work


@dataclass(frozen=True)
class QueuedAnswer:
    """An answer waiting for a grade, with how many attempts at its current revision failed."""

    answer: StoredAnswer
    attempts: int


class AnswerRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save_daily(
        self,
        *,
        guild_id: int,
        user_id: int,
        post_id: int,
        question_id: str,
        content: str,
        locale: str | None,
        local_date: str,
        now: datetime,
    ) -> StoredAnswer:
        """Insert, or replace the member's earlier answer to the same post (a new revision)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO answers (guild_id, user_id, post_id, question_id, source, content,
                    locale, local_date, submitted_at)
                VALUES (?, ?, ?, ?, 'daily', ?, ?, ?, ?)
                ON CONFLICT (guild_id, user_id, post_id) WHERE post_id IS NOT NULL DO UPDATE SET
                    content = excluded.content, locale = excluded.locale,
                    submitted_at = excluded.submitted_at, status = 'pending',
                    revision = answers.revision + 1, retry_after = NULL, delivered = 0,
                    grade_attempts = 0
                RETURNING *
                """,
                (guild_id, user_id, post_id, question_id, content, locale, local_date, to_iso(now)),
            )
            row = await cursor.fetchone()
        assert row is not None
        return _answer(row)

    async def get(self, answer_id: int) -> StoredAnswer | None:
        row = await self._db.fetchone("SELECT * FROM answers WHERE answer_id = ?", (answer_id,))
        return _answer(row) if row else None

    async def for_post(self, guild_id: int, user_id: int, post_id: int) -> StoredAnswer | None:
        row = await self._db.fetchone(
            "SELECT * FROM answers WHERE guild_id = ? AND user_id = ? AND post_id = ?",
            (guild_id, user_id, post_id),
        )
        return _answer(row) if row else None

    async def save_grade(
        self,
        answer: StoredAnswer,
        grade: GradeRecord,
        now: datetime,
        *,
        delivered: bool,
        final: bool = True,
        points: PointsClaim | None = None,
        admission_id: int | None = None,
        milestone_roles: bool = False,
    ) -> SavedGrade | None:
        """Store a grade for the answer's current revision, with its `points` and the settling
        of the AI call's admission, in one transaction; None when a newer revision replaced it
        (or another final grade came first: the admission is settled all the same).

        `delivered` is True when the member is waiting for this grade in an interaction reply;
        False leaves it for a DM or the next time the member uses the bot. A grade that is not
        `final` (the offline stand-in shown while the AI grade is pending) leaves the answer in
        the retry queue; the final grade's points replace the stand-in's (one ledger row).
        Work recorded by the points brings the day's streak bonus and, with `milestone_roles`,
        the streak milestones' claims, in the same transaction (`streak_rewards_in`).
        """
        async with self._db.transaction() as conn:
            await settle_in(conn, admission_id)
            if final:
                # Not over a final grade: two finalisations of one revision store one grade.
                cursor = await conn.execute(
                    "UPDATE answers SET status = 'graded', retry_after = NULL, delivered = ? "
                    "WHERE answer_id = ? AND revision = ? AND status != 'graded'",
                    (int(delivered), answer.answer_id, answer.revision),
                )
                # The stand-in gives way: one grade per revision for stats and history.
                await conn.execute(
                    "DELETE FROM grades WHERE answer_id = ? AND revision = ? AND fallback = ?",
                    (answer.answer_id, answer.revision, PENDING_FALLBACK),
                )
            else:
                # A no-op update: it matches only while this revision waits for its AI grade.
                cursor = await conn.execute(
                    "UPDATE answers SET revision = revision WHERE answer_id = ? AND revision = ? "
                    "AND status = 'delayed'",
                    (answer.answer_id, answer.revision),
                )
            if cursor.rowcount != 1:
                return None
            await _insert_grade(conn, answer, grade, now)
            if points is None:
                return SavedGrade(None)
            awarded = await award_in(conn, points, now)
            if not awarded.recorded:
                return SavedGrade(awarded)
            day = date.fromisoformat(awarded.local_date)
            rewards = await streak_rewards_in(
                conn, points.guild_id, points.user_id, day, now, roles=milestone_roles
            )
        return SavedGrade(awarded, rewards)

    async def mark_delayed(
        self, answer: StoredAnswer, retry_after: datetime, *, attempts: int
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE answers SET status = 'delayed', retry_after = ?, grade_attempts = ? "
                "WHERE answer_id = ? AND revision = ?",
                (to_iso(retry_after), attempts, answer.answer_id, answer.revision),
            )

    async def hand_back(self, answer: StoredAnswer, retry_after: datetime) -> None:
        """A shutdown interrupted this revision's grading: queue it for the next start, unless it
        was graded (or replaced) meanwhile."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE answers SET status = 'delayed', retry_after = ? "
                "WHERE answer_id = ? AND revision = ? AND status = 'pending'",
                (to_iso(retry_after), answer.answer_id, answer.revision),
            )

    async def due_for_retry(
        self,
        now: datetime,
        *,
        stale_before: datetime,
        limit: int = 20,
        shards: ShardPlan = EVERY_GUILD,
    ) -> list[QueuedAnswer]:
        """Delayed answers whose retry time came, and pending ones a crash left ungraded."""
        where, params = shard_filter(shards)
        rows = await self._db.fetchall(
            "SELECT * FROM answers WHERE ((status = 'delayed' AND retry_after <= ?) "
            f"OR (status = 'pending' AND submitted_at <= ?)){where} ORDER BY submitted_at LIMIT ?",
            (to_iso(now), to_iso(stale_before), *params, limit),
        )
        return [QueuedAnswer(_answer(row), row["grade_attempts"]) for row in rows]

    async def latest_grade(self, answer_id: int) -> StoredGrade | None:
        row = await self._db.fetchone(
            "SELECT * FROM grades WHERE answer_id = ? ORDER BY revision DESC, grade_id DESC "
            "LIMIT 1",
            (answer_id,),
        )
        if row is None:
            return None
        return StoredGrade(
            answer_id=row["answer_id"],
            revision=row["revision"],
            overall=row["overall"],
            max_score=row["max_score"],
            grader=row["grader"],
            detail=json.loads(row["detail_json"]),
            fallback=row["fallback"],
        )

    async def claim_delivery(self, answer: StoredAnswer) -> bool:
        """Take the job of showing this revision's grade; False when someone else has it."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE answers SET delivered = 1 WHERE answer_id = ? AND revision = ? "
                "AND status = 'graded' AND delivered = 0",
                (answer.answer_id, answer.revision),
            )
            return cursor.rowcount == 1

    async def release_delivery(self, answer: StoredAnswer) -> None:
        """Showing the grade failed: leave it for the next chance."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE answers SET delivered = 0 WHERE answer_id = ? AND revision = ? "
                "AND status = 'graded'",
                (answer.answer_id, answer.revision),
            )

    async def members_with_undelivered(self) -> set[tuple[int, int]]:
        """(guild, member) pairs with a grade nobody has shown yet."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT guild_id, user_id FROM answers "
            "WHERE status = 'graded' AND delivered = 0"
        )
        return {(row["guild_id"], row["user_id"]) for row in rows}

    async def claim_undelivered(self, guild_id: int, user_id: int) -> list[StoredAnswer]:
        """Claim every graded answer of the member whose feedback nobody has shown yet."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE answers SET delivered = 1 WHERE guild_id = ? AND user_id = ? "
                "AND status = 'graded' AND delivered = 0 RETURNING *",
                (guild_id, user_id),
            )
            rows = await cursor.fetchall()
        return sorted((_answer(row) for row in rows), key=lambda a: a.submitted_at)


async def _insert_grade(
    conn: Connection, answer: StoredAnswer, grade: GradeRecord, now: datetime
) -> None:
    await conn.execute(
        """
        INSERT INTO grades (answer_id, revision, overall, max_score, grader, model,
            prompt_version, detail_json, input_tokens, output_tokens, cache_read_tokens,
            cache_write_tokens, fallback, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            answer.answer_id,
            answer.revision,
            grade.overall,
            grade.max_score,
            grade.grader,
            grade.model,
            grade.prompt_version,
            grade.detail_json,
            grade.input_tokens,
            grade.output_tokens,
            grade.cache_read_tokens,
            grade.cache_write_tokens,
            grade.fallback,
            to_iso(now),
        ),
    )
