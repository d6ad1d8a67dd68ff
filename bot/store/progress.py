"""Streak restores, progress settings and their audit trail, milestone roles, seasons, and the
member history that progress and practice read."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.domain.progress import ProgressSettings
from bot.domain.streaks import DEFAULT_FREEZES_PER_WEEK
from bot.store._convert import from_iso, to_iso
from bot.store.database import Connection, Database

SETTING_COLUMNS = ("freezes_per_week", "streak7_role_id", "streak30_role_id", "top3_role_id")


@dataclass(frozen=True)
class AnswerHistoryRow:
    question_id: str
    source: str
    round: str | None  # known from the daily post; practice answers are resolved by the caller
    overall: float
    max_score: int
    submitted_at: datetime
    detail: dict[str, Any]


@dataclass(frozen=True)
class AuditEntry:
    actor_id: int
    action: str
    target_id: int | None
    detail: dict[str, Any]
    created_at: datetime


SETTINGS_SQL = "SELECT * FROM progress_settings WHERE guild_id = ?"
RESTORED_DAYS_SQL = (
    "SELECT local_date FROM streak_restores WHERE guild_id = ? AND user_id = ? AND local_date >= ?"
)


def _settings(row: Any) -> ProgressSettings:
    if row is None:
        return ProgressSettings(freezes_per_week=DEFAULT_FREEZES_PER_WEEK)
    return ProgressSettings(**{column: row[column] for column in SETTING_COLUMNS})


async def settings_in(conn: Connection, guild_id: int) -> ProgressSettings:
    return _settings(await (await conn.execute(SETTINGS_SQL, (guild_id,))).fetchone())


class ProgressRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def settings(self, guild_id: int) -> ProgressSettings:
        return _settings(await self._db.fetchone(SETTINGS_SQL, (guild_id,)))

    async def update_settings(
        self,
        guild_id: int,
        changes: Mapping[str, int | None],
        *,
        actor_id: int,
        action: str,
        now: datetime,
    ) -> ProgressSettings:
        """Change some settings and write the audit entry, in one transaction."""
        unknown = set(changes) - set(SETTING_COLUMNS)
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        columns = list(changes)
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO progress_settings (guild_id, freezes_per_week, updated_by, "
                "updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO NOTHING",
                (guild_id, DEFAULT_FREEZES_PER_WEEK, actor_id, to_iso(now)),
            )
            assignments = ", ".join(f"{column} = ?" for column in columns)
            await conn.execute(
                f"UPDATE progress_settings SET {assignments}, updated_by = ?, updated_at = ? "
                "WHERE guild_id = ?",
                (*(changes[c] for c in columns), actor_id, to_iso(now), guild_id),
            )
            await _audit(conn, guild_id, actor_id, action, None, dict(changes), now)
        return await self.settings(guild_id)

    async def restored_days(self, guild_id: int, user_id: int, since: str) -> list[str]:
        rows = await self._db.fetchall(RESTORED_DAYS_SQL, (guild_id, user_id, since))
        return [row["local_date"] for row in rows]

    async def restore(
        self,
        guild_id: int,
        user_id: int,
        days: Iterable[date],
        *,
        actor_id: int,
        detail: dict[str, Any],
        now: datetime,
    ) -> None:
        """Mark the days restored and write the audit entry, all or nothing."""
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO streak_restores (guild_id, user_id, local_date, restored_by, "
                "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(guild_id, user_id, day.isoformat(), actor_id, to_iso(now)) for day in days],
            )
            await _audit(conn, guild_id, actor_id, "streak_restore", user_id, detail, now)

    async def audit_entries(self, guild_id: int, limit: int = 50) -> list[AuditEntry]:
        rows = await self._db.fetchall(
            "SELECT * FROM progress_audit WHERE guild_id = ? "
            "ORDER BY created_at DESC, audit_id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [
            AuditEntry(
                actor_id=row["actor_id"],
                action=row["action"],
                target_id=row["target_id"],
                detail=json.loads(row["detail_json"]),
                created_at=_instant(row["created_at"]),
            )
            for row in rows
        ]

    async def release_milestone(self, guild_id: int, user_id: int, milestone: str) -> None:
        """Undo a claim whose role could not be given, so a later award tries again."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM milestone_grants WHERE guild_id = ? AND user_id = ? AND milestone = ?",
                (guild_id, user_id, milestone),
            )

    async def settle_season(
        self, guild_id: int, season: str, winners: list[tuple[int, int]], now: datetime
    ) -> bool:
        """Record a closed month's top three (user id, points; ties share a place) once; False
        when it was already recorded."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT 1 FROM season_awards WHERE guild_id = ? AND season = ? LIMIT 1",
                (guild_id, season),
            )
            if await cursor.fetchone() is not None:
                return False
            await conn.executemany(
                "INSERT INTO season_awards (guild_id, season, place, user_id, points, "
                "awarded_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        guild_id,
                        season,
                        1 + sum(p > points for _, p in winners),
                        user_id,
                        points,
                        to_iso(now),
                    )
                    for user_id, points in winners
                ],
            )
            # An empty month is settled too, with a marker row nobody holds.
            if not winners:
                await conn.execute(
                    "INSERT INTO season_awards (guild_id, season, place, user_id, points, "
                    "awarded_at) VALUES (?, ?, 0, 0, 0, ?)",
                    (guild_id, season, to_iso(now)),
                )
            return True

    async def season_settled(self, guild_id: int, season: str) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM season_awards WHERE guild_id = ? AND season = ? LIMIT 1",
            (guild_id, season),
        )
        return row is not None

    async def season_winners(self, guild_id: int, season: str) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT user_id FROM season_awards WHERE guild_id = ? AND season = ? AND place > 0 "
            "ORDER BY place",
            (guild_id, season),
        )
        return [row["user_id"] for row in rows]

    async def graded_history(
        self, guild_id: int, user_id: int, limit: int = 500
    ) -> list[AnswerHistoryRow]:
        """The member's latest graded answers (each answer's current revision), oldest first."""
        rows = await self._db.fetchall(
            """
            SELECT a.question_id, a.source, a.submitted_at, p.round, g.overall, g.max_score,
                g.detail_json
            FROM answers AS a
            JOIN grades AS g ON g.answer_id = a.answer_id AND g.revision = a.revision
            LEFT JOIN daily_posts AS p ON p.post_id = a.post_id
            WHERE a.guild_id = ? AND a.user_id = ? AND a.status = 'graded'
            ORDER BY a.submitted_at DESC, g.grade_id DESC
            LIMIT ?
            """,
            (guild_id, user_id, limit),
        )
        history = [
            AnswerHistoryRow(
                question_id=row["question_id"],
                source=row["source"],
                round=row["round"],
                overall=row["overall"],
                max_score=row["max_score"],
                submitted_at=_instant(row["submitted_at"]),
                detail=json.loads(row["detail_json"]),
            )
            for row in rows
        ]
        history.reverse()
        return history

    async def answered_questions(self, guild_id: int, user_id: int) -> set[str]:
        rows = await self._db.fetchall(
            "SELECT DISTINCT question_id FROM answers WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return {row["question_id"] for row in rows}

    async def open_daily_questions(self, guild_id: int) -> set[str]:
        """Questions of daily posts whose answers are still open (not revealed yet)."""
        rows = await self._db.fetchall(
            "SELECT question_id FROM daily_posts WHERE guild_id = ? AND revealed_at IS NULL",
            (guild_id,),
        )
        return {row["question_id"] for row in rows}

    async def save_practice(
        self,
        *,
        guild_id: int,
        user_id: int,
        question_id: str,
        content: str,
        locale: str | None,
        local_date: str,
        now: datetime,
    ) -> int:
        """Insert a practice answer, or replace the member's earlier one to the same question
        (a new revision); returns the answer id."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO answers (guild_id, user_id, post_id, question_id, source, content,
                    locale, local_date, submitted_at)
                VALUES (?, ?, NULL, ?, 'practice', ?, ?, ?, ?)
                ON CONFLICT (guild_id, user_id, question_id) WHERE source = 'practice'
                DO UPDATE SET content = excluded.content, locale = excluded.locale,
                    submitted_at = excluded.submitted_at, status = 'pending',
                    revision = answers.revision + 1, retry_after = NULL, delivered = 0,
                    grade_attempts = 0
                RETURNING answer_id
                """,
                (guild_id, user_id, question_id, content, locale, local_date, to_iso(now)),
            )
            row = await cursor.fetchone()
        assert row is not None
        return int(row["answer_id"])


def _instant(text: str) -> datetime:
    instant = from_iso(text)
    assert instant is not None
    return instant


async def _audit(
    conn: Any,
    guild_id: int,
    actor_id: int,
    action: str,
    target_id: int | None,
    detail: dict[str, Any],
    now: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO progress_audit (guild_id, actor_id, action, target_id, detail_json, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (guild_id, actor_id, action, target_id, json.dumps(detail, sort_keys=True), to_iso(now)),
    )
