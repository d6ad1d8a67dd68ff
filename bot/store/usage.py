from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.grading import Usage
from bot.store._convert import to_iso
from bot.store.database import Database


@dataclass(frozen=True)
class UsageRow:
    """Usage summed over a group of calls."""

    model: str
    operation: str
    calls: int
    usage: Usage


@dataclass(frozen=True)
class StoredLimits:
    member_daily_answers: int | None
    guild_daily_tokens: int | None


class UsageRepo:
    """Model-call usage and the guild's grading limits."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        *,
        guild_id: int | None,
        user_id: int | None,
        operation: str,
        model: str,
        prompt_version: str,
        stop_reason: str | None,
        usage: Usage,
        now: datetime,
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                """
                INSERT INTO llm_usage (guild_id, user_id, operation, model, prompt_version,
                    stop_reason, input_tokens, output_tokens, cache_read_tokens,
                    cache_write_tokens, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    guild_id,
                    user_id,
                    operation,
                    model,
                    prompt_version,
                    stop_reason,
                    usage.input_tokens,
                    usage.output_tokens,
                    usage.cache_read_tokens,
                    usage.cache_write_tokens,
                    to_iso(now),
                ),
            )

    async def summary(self, guild_id: int, start: datetime, end: datetime) -> list[UsageRow]:
        rows = await self._db.fetchall(
            """
            SELECT model, operation, COUNT(*) AS calls, SUM(input_tokens) AS input,
                   SUM(output_tokens) AS output, SUM(cache_read_tokens) AS cache_read,
                   SUM(cache_write_tokens) AS cache_write
            FROM llm_usage
            WHERE guild_id = ? AND created_at >= ? AND created_at < ?
            GROUP BY model, operation
            ORDER BY model, operation
            """,
            (guild_id, to_iso(start), to_iso(end)),
        )
        return [
            UsageRow(
                model=row["model"],
                operation=row["operation"],
                calls=row["calls"],
                usage=Usage(row["input"], row["output"], row["cache_read"], row["cache_write"]),
            )
            for row in rows
        ]

    async def top_members(
        self, guild_id: int, start: datetime, end: datetime, limit: int
    ) -> list[tuple[int, int]]:
        """(user id, tokens) of the members whose actions used the most tokens."""
        rows = await self._db.fetchall(
            """
            SELECT user_id, SUM(input_tokens + output_tokens + cache_read_tokens
                + cache_write_tokens) AS tokens
            FROM llm_usage
            WHERE guild_id = ? AND user_id IS NOT NULL AND created_at >= ? AND created_at < ?
            GROUP BY user_id
            ORDER BY tokens DESC, user_id
            LIMIT ?
            """,
            (guild_id, to_iso(start), to_iso(end), limit),
        )
        return [(int(row["user_id"]), int(row["tokens"])) for row in rows]

    async def limits(self, guild_id: int) -> StoredLimits:
        row = await self._db.fetchone(
            "SELECT member_daily_answers, guild_daily_tokens FROM grading_limits "
            "WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return StoredLimits(None, None)
        return StoredLimits(row["member_daily_answers"], row["guild_daily_tokens"])

    async def set_limits(
        self,
        guild_id: int,
        *,
        member_daily_answers: int | None,
        guild_daily_tokens: int | None,
        updated_by: int,
        now: datetime,
    ) -> None:
        """Set the given limits; None leaves that limit as it was."""
        async with self._db.transaction() as conn:
            await conn.execute(
                """
                INSERT INTO grading_limits (guild_id, member_daily_answers, guild_daily_tokens,
                    updated_by, updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (guild_id) DO UPDATE SET
                    member_daily_answers = COALESCE(excluded.member_daily_answers,
                        grading_limits.member_daily_answers),
                    guild_daily_tokens = COALESCE(excluded.guild_daily_tokens,
                        grading_limits.guild_daily_tokens),
                    updated_by = excluded.updated_by, updated_at = excluded.updated_at
                """,
                (guild_id, member_daily_answers, guild_daily_tokens, updated_by, to_iso(now)),
            )
