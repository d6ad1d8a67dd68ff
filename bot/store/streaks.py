"""What a day of work earns beyond its points (the day's streak bonus, streak milestones),
written in the transaction that records the work, so a failure leaves neither."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.points import KIND_STREAK, streak_bonus_points
from bot.domain.streaks import (
    STREAK_MILESTONES,
    StreakHistory,
    compute_streak,
    history_start,
)
from bot.store._convert import to_iso
from bot.store.database import Connection
from bot.store.points import WORKED_DAYS_SQL, PointsClaim, award_once_in, worked_days_params
from bot.store.progress import RESTORED_DAYS_SQL, settings_in


@dataclass(frozen=True)
class Milestone:
    """A streak milestone claimed now: its role is to be given on Discord."""

    name: str
    days: int
    role_id: int


@dataclass(frozen=True)
class StreakRewards:
    bonus: int  # the day's streak bonus given now (0 when none, or given before)
    milestones: tuple[Milestone, ...]


async def _days(conn: Connection, sql: str, params: tuple[object, ...]) -> frozenset[date]:
    rows = await (await conn.execute(sql, params)).fetchall()
    return frozenset(date.fromisoformat(row["local_date"]) for row in rows)


async def _hidden(conn: Connection, guild_id: int, user_id: int) -> bool:
    cursor = await conn.execute(
        "SELECT hidden FROM members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    row = await cursor.fetchone()
    return row is not None and bool(row["hidden"])


async def streak_rewards_in(
    conn: Connection, guild_id: int, user_id: int, day: date, now: datetime, *, roles: bool
) -> StreakRewards:
    """After the day's work is in the ledger (same transaction): the streak bonus, once per
    day, and with `roles` (a Discord client to give them) the milestones reached, once per
    member and milestone, never for a member who hid themselves."""
    settings = await settings_in(conn, guild_id)
    since = history_start(day).isoformat()
    history = StreakHistory(
        worked=await _days(conn, WORKED_DAYS_SQL, worked_days_params(guild_id, user_id, since)),
        restored=await _days(conn, RESTORED_DAYS_SQL, (guild_id, user_id, since)),
    )
    streak = compute_streak(history, day, settings.freezes_per_week).current
    bonus = streak_bonus_points(streak)
    claim = PointsClaim(guild_id, user_id, KIND_STREAK, day.isoformat(), None, bonus, str(day))
    given = bonus if bonus and await award_once_in(conn, claim, now) else 0
    role_ids = {"streak7": settings.streak7_role_id, "streak30": settings.streak30_role_id}
    claimed = []
    for days, name in STREAK_MILESTONES:
        role_id = role_ids[name]
        if not roles or role_id is None or streak < days:
            continue
        if await _hidden(conn, guild_id, user_id):
            break
        cursor = await conn.execute(
            "INSERT INTO milestone_grants (guild_id, user_id, milestone, granted_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, user_id, name, to_iso(now)),
        )
        if cursor.rowcount == 1:
            claimed.append(Milestone(name, days, role_id))
    return StreakRewards(given, tuple(claimed))
