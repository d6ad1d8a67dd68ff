"""Admitting AI calls against a guild's daily limits, atomically (see migration 0012)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.spend import Fallback
from bot.store._convert import to_iso
from bot.store.database import Connection, Database

# (the member's AI-graded answers today, the guild's tokens today) -> why not, or None.
Decide = Callable[[int, int], Fallback | None]


@dataclass(frozen=True)
class DayUse:
    """What counts against the limits in one guild-local day."""

    member_answers: int
    guild_tokens: int


class AdmissionRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def admit(
        self,
        *,
        guild_id: int,
        user_id: int | None,
        operation: str,
        reserve_tokens: int,
        counts_as_answer: bool,
        day: tuple[datetime, datetime],
        decide: Decide,
        now: datetime,
    ) -> tuple[int | None, Fallback | None]:
        """Decide on today's use and, if admitted, record the admission, in one transaction
        that no other admission in the guild can interleave with: (admission id, None) or
        (None, why not)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO llm_admission_locks (guild_id, admissions) VALUES (?, 1) "
                "ON CONFLICT (guild_id) DO UPDATE SET "
                "admissions = llm_admission_locks.admissions + 1",
                (guild_id,),
            )
            use = await _day_use(conn, guild_id, user_id, day)
            refused = decide(use.member_answers, use.guild_tokens)
            if refused is not None:
                return None, refused
            cursor = await conn.execute(
                "INSERT INTO llm_admissions (guild_id, user_id, operation, reserved_tokens, "
                "counts_as_answer, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                "RETURNING admission_id",
                (guild_id, user_id, operation, reserve_tokens, int(counts_as_answer), to_iso(now)),
            )
            row = await cursor.fetchone()
            return int(row["admission_id"]), None

    async def settle(self, admission_id: int) -> None:
        """The call answered and its usage is recorded: the reservation no longer counts."""
        async with self._db.transaction() as conn:
            await settle_in(conn, admission_id)

    async def release(self, admission_id: int) -> None:
        """The call failed: it counts against nothing (its usage, if any, is recorded)."""
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM llm_admissions WHERE admission_id = ?", (admission_id,))


async def _day_use(
    conn: Connection, guild_id: int, user_id: int | None, day: tuple[datetime, datetime]
) -> DayUse:
    start, end = to_iso(day[0]), to_iso(day[1])
    cursor = await conn.execute(
        "SELECT "
        "(SELECT COALESCE(SUM(input_tokens + output_tokens + cache_read_tokens "
        "+ cache_write_tokens), 0) FROM llm_usage "
        "WHERE guild_id = ?1 AND created_at >= ?2 AND created_at < ?3) "
        "+ (SELECT COALESCE(SUM(reserved_tokens), 0) FROM llm_admissions "
        "WHERE guild_id = ?1 AND created_at >= ?2 AND created_at < ?3) AS tokens, "
        "(SELECT COUNT(*) FROM llm_admissions WHERE guild_id = ?1 AND user_id = ?4 "
        "AND counts_as_answer = 1 AND created_at >= ?2 AND created_at < ?3) AS answers",
        (guild_id, start, end, user_id),
    )
    row = await cursor.fetchone()
    return DayUse(int(row["answers"]), int(row["tokens"]))


async def settle_in(conn: Connection, admission_id: int | None) -> None:
    """`settle`, inside the transaction that records what the call gave (a grade)."""
    if admission_id is not None:
        await conn.execute(
            "UPDATE llm_admissions SET reserved_tokens = 0 WHERE admission_id = ?",
            (admission_id,),
        )
