from __future__ import annotations

from datetime import datetime

from bot.domain.models import LeaderboardRow
from bot.store._convert import to_iso
from bot.store.database import Database


class PointsRepo:
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
    ) -> None:
        """One row per earning event: awarding the same (kind, ref) again replaces the amount."""
        async with self._db.transaction() as conn:
            await conn.execute(
                """
                INSERT INTO points (guild_id, user_id, kind, ref, round, amount, local_date,
                    earned_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (guild_id, user_id, kind, ref) DO UPDATE SET amount = excluded.amount
                """,
                (guild_id, user_id, kind, ref, round_name, amount, local_date, to_iso(now)),
            )

    async def leaderboard(
        self, guild_id: int, *, since: datetime | None, round_name: str | None, limit: int
    ) -> list[LeaderboardRow]:
        rows = await self._db.fetchall(
            """
            SELECT p.user_id, COALESCE(m.display_name, CAST(p.user_id AS TEXT)) AS name,
                   SUM(p.amount) AS total
            FROM points p
            LEFT JOIN members m ON m.guild_id = p.guild_id AND m.user_id = p.user_id
            WHERE p.guild_id = ? AND (? IS NULL OR p.earned_at >= ?)
              AND (? IS NULL OR p.round = ?) AND COALESCE(m.hidden, 0) = 0
            GROUP BY p.user_id
            HAVING total > 0
            ORDER BY total DESC, p.user_id
            LIMIT ?
            """,
            (
                guild_id,
                to_iso(since) if since else None,
                to_iso(since) if since else None,
                round_name,
                round_name,
                limit,
            ),
        )
        return [
            LeaderboardRow(rank, row["user_id"], row["name"], row["total"])
            for rank, row in enumerate(rows, start=1)
        ]

    async def total(self, guild_id: int, user_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COALESCE(SUM(amount), 0) AS total FROM points "
            "WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return int(row["total"]) if row else 0


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

    async def count_hints(self, guild_id: int, user_id: int, post_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM hint_uses "
            "WHERE guild_id = ? AND user_id = ? AND post_id = ?",
            (guild_id, user_id, post_id),
        )
        return int(row["n"]) if row else 0

    async def use_hint(
        self, guild_id: int, user_id: int, post_id: int, hint_index: int, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO hint_uses (guild_id, user_id, post_id, hint_index, used_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, user_id, post_id, hint_index, to_iso(now)),
            )
