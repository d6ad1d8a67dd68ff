from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.points import DAILY_CAP, NOT_ACTIVITY_KINDS, UNCAPPED_KINDS, within_cap
from bot.store._convert import to_iso
from bot.store.database import Connection, Database

ALL_ROUNDS = ""  # the summary table's round key for every round together


@dataclass(frozen=True)
class Awarded:
    points: int  # what counts, after the daily cap
    raw: int  # what the work was worth
    local_date: str  # the day it counts for: the first award's, when awarded again
    recorded: bool = True  # False for work worth nothing, which is not kept


@dataclass(frozen=True)
class PointsClaim:
    """Work worth `amount` points, to be awarded in the transaction that records the work."""

    guild_id: int
    user_id: int
    kind: str
    ref: str
    round_name: str | None
    amount: int
    local_date: str


@dataclass(frozen=True)
class Standing:
    user_id: int
    name: str
    points: int


def _placeholders(values: frozenset[str]) -> str:
    return ", ".join("?" for _ in values)


WORKED_DAYS_SQL = (
    "SELECT DISTINCT local_date FROM points WHERE guild_id = ? AND user_id = ? "
    f"AND local_date >= ? AND kind NOT IN ({_placeholders(NOT_ACTIVITY_KINDS)})"
)


def worked_days_params(guild_id: int, user_id: int, since: str) -> tuple[Any, ...]:
    return (guild_id, user_id, since, *sorted(NOT_ACTIVITY_KINDS))


class PointsRepo:
    """The points ledger (one row per earning event) and the per-period totals that triggers
    keep from it (migration 0005), which is what the leaderboards read, and the visible members
    per points value kept from the totals (migration 0019), which ranks are added up from."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def award(
        self,
        *,
        guild_id: int,
        user_id: int,
        kind: str,
        ref: str,
        round_name: str | None,
        amount: int,
        local_date: str,
        now: datetime,
        cap: int = DAILY_CAP,
    ) -> Awarded:
        """Award work recorded elsewhere (see `award_in`) in a transaction of its own."""
        claim = PointsClaim(guild_id, user_id, kind, ref, round_name, amount, local_date)
        async with self._db.transaction() as conn:
            return await award_in(conn, claim, now, cap)

    async def award_once(
        self,
        *,
        guild_id: int,
        user_id: int,
        kind: str,
        ref: str,
        amount: int,
        local_date: str,
        now: datetime,
    ) -> bool:
        """An award that must never change once made (a day's streak bonus)."""
        claim = PointsClaim(guild_id, user_id, kind, ref, None, amount, local_date)
        async with self._db.transaction() as conn:
            return await award_once_in(conn, claim, now)

    async def worked_days(self, guild_id: int, user_id: int, since: str) -> list[str]:
        """Local dates since `since` on which the member earned points for work."""
        rows = await self._db.fetchall(
            WORKED_DAYS_SQL, worked_days_params(guild_id, user_id, since)
        )
        return [row["local_date"] for row in rows]

    async def page(
        self, guild_id: int, period: str, round_key: str, *, offset: int, limit: int
    ) -> list[Standing]:
        """Visible members with points in the period, best first; ties by user id, so pages are
        stable."""
        rows = await self._db.fetchall(
            """
            SELECT t.user_id, t.points, COALESCE(m.display_name, CAST(t.user_id AS TEXT)) AS name
            FROM points_totals AS t
            LEFT JOIN members AS m ON m.guild_id = t.guild_id AND m.user_id = t.user_id
            WHERE t.guild_id = ? AND t.period = ? AND t.round = ? AND t.hidden = 0
              AND t.points > 0
            ORDER BY t.points DESC, t.user_id
            LIMIT ? OFFSET ?
            """,
            (guild_id, period, round_key, limit, offset),
        )
        return [Standing(row["user_id"], row["name"], row["points"]) for row in rows]

    async def count_above(self, guild_id: int, period: str, round_key: str, points: int) -> int:
        """Visible members with more points: a member's rank is one more (ties share a rank).
        Added up from the members per points value (migration 0019), not counted one by one."""
        row = await self._db.fetchone(
            "SELECT COALESCE(SUM(members), 0) AS n FROM points_counts "
            "WHERE guild_id = ? AND period = ? AND round = ? AND points > ?",
            (guild_id, period, round_key, points),
        )
        return int(row["n"]) if row else 0

    async def totals(
        self, guild_id: int, user_id: int, periods: tuple[str, ...]
    ) -> dict[tuple[str, str], int]:
        """The member's points by (period, round key) for the given periods."""
        marks = ", ".join("?" for _ in periods)
        rows = await self._db.fetchall(
            "SELECT period, round, points FROM points_totals "
            f"WHERE guild_id = ? AND user_id = ? AND period IN ({marks})",
            (guild_id, user_id, *periods),
        )
        return {(row["period"], row["round"]): row["points"] for row in rows}

    async def total(self, guild_id: int, user_id: int) -> int:
        totals = await self.totals(guild_id, user_id, ("all",))
        return totals.get(("all", ALL_ROUNDS), 0)


@dataclass(frozen=True)
class MemberInfo:
    user_id: int
    display_name: str
    hidden: bool
    shares_progress: bool = False  # others may see their grades, weak spots and chart


class MemberRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def remember(self, guild_id: int, user_id: int, display_name: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO members (guild_id, user_id, display_name) VALUES (?, ?, ?) "
                "ON CONFLICT (guild_id, user_id) "
                "DO UPDATE SET display_name = excluded.display_name",
                (guild_id, user_id, display_name[:100]),
            )

    async def set_sharing(
        self, guild_id: int, user_id: int, display_name: str, share: bool
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO members (guild_id, user_id, display_name, share_answers) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
                "display_name = excluded.display_name, share_answers = excluded.share_answers",
                (guild_id, user_id, display_name[:100], int(share)),
            )

    async def set_progress_shared(
        self, guild_id: int, user_id: int, display_name: str, shared: bool
    ) -> bool:
        """False when it already was so."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO members (guild_id, user_id, display_name, share_progress) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
                "share_progress = excluded.share_progress "
                "WHERE members.share_progress <> excluded.share_progress",
                (guild_id, user_id, display_name[:100], int(shared)),
            )
            return cursor.rowcount == 1

    async def get(self, guild_id: int, user_id: int) -> MemberInfo | None:
        row = await self._db.fetchone(
            "SELECT user_id, display_name, hidden, share_progress FROM members "
            "WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        if row is None:
            return None
        return MemberInfo(
            row["user_id"], row["display_name"], bool(row["hidden"]), bool(row["share_progress"])
        )

    async def count_hints(self, guild_id: int, user_id: int, post_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM hint_uses "
            "WHERE guild_id = ? AND user_id = ? AND post_id = ?",
            (guild_id, user_id, post_id),
        )
        return int(row["n"]) if row else 0

    async def asked_clarifications(self, guild_id: int, user_id: int, post_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 AS asked FROM clarify_uses "
            "WHERE guild_id = ? AND user_id = ? AND post_id = ?",
            (guild_id, user_id, post_id),
        )
        return row is not None

    async def ask_clarifications(
        self, guild_id: int, user_id: int, post_id: int, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO clarify_uses (guild_id, user_id, post_id, used_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, user_id, post_id, to_iso(now)),
            )

    async def use_hint(
        self, guild_id: int, user_id: int, post_id: int, hint_index: int, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO hint_uses (guild_id, user_id, post_id, hint_index, used_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, user_id, post_id, hint_index, to_iso(now)),
            )


async def award_in(
    conn: Connection, claim: PointsClaim, now: datetime, cap: int = DAILY_CAP
) -> Awarded:
    """Inside the caller's transaction, so the work (a grade, a form) and its points are
    written together: one row per earning event, and awarding the same (kind, ref) again
    replaces the amount, on the day it was first earned, so a re-graded answer counts once.
    Work counts toward the member's daily cap for that local date; work capped to nothing
    still counts as a day worked."""
    c = claim
    cursor = await conn.execute(
        "SELECT local_date FROM points WHERE guild_id = ? AND user_id = ? AND kind = ? AND ref = ?",
        (c.guild_id, c.user_id, c.kind, c.ref),
    )
    existing = await cursor.fetchone()
    day = existing["local_date"] if existing else c.local_date
    if existing is None and c.amount <= 0:
        # Work worth nothing (practice below half marks) is not recorded: it neither shows on
        # a board nor keeps a streak alive.
        return Awarded(0, c.amount, day, recorded=False)
    counted = c.amount
    if c.kind not in UNCAPPED_KINDS:
        cursor = await conn.execute(
            "SELECT COALESCE(SUM(amount), 0) AS earned FROM points "
            "WHERE guild_id = ? AND user_id = ? AND local_date = ? "
            f"AND kind NOT IN ({_placeholders(UNCAPPED_KINDS)}) AND NOT (kind = ? AND ref = ?)",
            (c.guild_id, c.user_id, day, *sorted(UNCAPPED_KINDS), c.kind, c.ref),
        )
        row = await cursor.fetchone()
        counted = within_cap(c.amount, int(row["earned"]) if row else 0, cap)
    await conn.execute(
        """
        INSERT INTO points (guild_id, user_id, kind, ref, round, amount, local_date, earned_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (guild_id, user_id, kind, ref) DO UPDATE SET amount = excluded.amount
        WHERE points.amount != excluded.amount
        """,
        (c.guild_id, c.user_id, c.kind, c.ref, c.round_name, counted, day, to_iso(now)),
    )
    return Awarded(counted, c.amount, day)


async def award_once_in(conn: Connection, claim: PointsClaim, now: datetime) -> bool:
    """An award that never changes once made, inside the caller's transaction; False when it
    was made before."""
    c = claim
    cursor = await conn.execute(
        "INSERT INTO points (guild_id, user_id, kind, ref, round, amount, local_date, earned_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (c.guild_id, c.user_id, c.kind, c.ref, c.round_name, c.amount, c.local_date, to_iso(now)),
    )
    return cursor.rowcount == 1
