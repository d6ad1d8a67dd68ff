from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.models import DailyPost, PostStats, SharedAnswer
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store._convert import from_iso, to_iso
from bot.store._shards import shard_filter
from bot.store.database import Database


def _post(row: Any) -> DailyPost:
    return DailyPost(
        post_id=row["post_id"],
        guild_id=row["guild_id"],
        local_date=row["local_date"],
        question_id=row["question_id"],
        round=row["round"],
        channel_id=row["channel_id"],
        status=row["status"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        attempts=row["attempts"],
        posted_at=from_iso(row["posted_at"]),
        revealed_at=from_iso(row["revealed_at"]),
    )


class PostRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(
        self,
        guild_id: int,
        local_date: str,
        *,
        question_id: str,
        round_name: str,
        channel_id: int,
        now: datetime,
    ) -> DailyPost | None:
        """Claim the guild's post for a local date; None when it was already claimed."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO daily_posts (guild_id, local_date, question_id, round, channel_id,
                    claimed_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (guild_id, local_date) DO NOTHING
                RETURNING *
                """,
                (guild_id, local_date, question_id, round_name, channel_id, to_iso(now)),
            )
            row = await cursor.fetchone()
        return _post(row) if row else None

    async def for_date(self, guild_id: int, local_date: str) -> DailyPost | None:
        row = await self._db.fetchone(
            "SELECT * FROM daily_posts WHERE guild_id = ? AND local_date = ?",
            (guild_id, local_date),
        )
        return _post(row) if row else None

    async def get(self, post_id: int) -> DailyPost | None:
        row = await self._db.fetchone("SELECT * FROM daily_posts WHERE post_id = ?", (post_id,))
        return _post(row) if row else None

    async def unsent(self, shards: ShardPlan = EVERY_GUILD) -> list[DailyPost]:
        where, params = shard_filter(shards)
        rows = await self._db.fetchall(
            f"SELECT * FROM daily_posts WHERE status != 'posted'{where} ORDER BY post_id", params
        )
        return [_post(row) for row in rows]

    async def mark_posted(
        self, post_id: int, *, message_id: int, thread_id: int | None, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE daily_posts SET status = 'posted', message_id = ?, thread_id = ?, "
                "posted_at = ? WHERE post_id = ?",
                (message_id, thread_id, to_iso(now), post_id),
            )

    async def set_thread(self, post_id: int, thread_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE daily_posts SET thread_id = ? WHERE post_id = ?", (thread_id, post_id)
            )

    async def begin_attempt(self, post_id: int, *, channel_id: int) -> None:
        """Counted before the message is sent: a crash right after Discord accepted it leaves
        a trace, so the next attempt looks for the message before sending it again."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE daily_posts SET attempts = attempts + 1, channel_id = ? WHERE post_id = ?",
                (channel_id, post_id),
            )

    async def mark_failed(self, post_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE daily_posts SET status = 'failed' WHERE post_id = ?", (post_id,)
            )

    async def latest_posted(self, guild_id: int) -> DailyPost | None:
        row = await self._db.fetchone(
            "SELECT * FROM daily_posts WHERE guild_id = ? AND status = 'posted' "
            "ORDER BY local_date DESC LIMIT 1",
            (guild_id,),
        )
        return _post(row) if row else None

    async def unrevealed_before(self, guild_id: int, local_date: str) -> list[DailyPost]:
        rows = await self._db.fetchall(
            "SELECT * FROM daily_posts WHERE guild_id = ? AND status = 'posted' "
            "AND revealed_at IS NULL AND local_date < ? ORDER BY local_date",
            (guild_id, local_date),
        )
        return [_post(row) for row in rows]

    async def mark_revealed(self, post_id: int, now: datetime) -> bool:
        """True for the one caller that flips it, so a reveal is sent once."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE daily_posts SET revealed_at = ? WHERE post_id = ? AND revealed_at IS NULL",
                (to_iso(now), post_id),
            )
            return cursor.rowcount == 1

    async def times_posted(self, guild_id: int) -> dict[str, int]:
        rows = await self._db.fetchall(
            "SELECT question_id, COUNT(*) AS n FROM daily_posts WHERE guild_id = ? "
            "GROUP BY question_id",
            (guild_id,),
        )
        return {row["question_id"]: row["n"] for row in rows}

    async def stats(self, post_id: int, *, best_limit: int = 2) -> PostStats:
        row = await self._db.fetchone(
            """
            SELECT COUNT(*) AS answers,
                   COUNT(g.overall) AS graded,
                   AVG(g.overall) AS average
            FROM answers a
            LEFT JOIN grades g ON g.answer_id = a.answer_id AND g.revision = a.revision
            WHERE a.post_id = ?
            """,
            (post_id,),
        )
        assert row is not None
        average = row["average"]
        best = await self._db.fetchall(
            """
            SELECT a.user_id, m.display_name, g.overall, a.content
            FROM answers a
            JOIN grades g ON g.answer_id = a.answer_id AND g.revision = a.revision
            JOIN members m ON m.guild_id = a.guild_id AND m.user_id = a.user_id
            WHERE a.post_id = ? AND m.share_answers = 1 AND m.hidden = 0
            ORDER BY g.overall DESC, a.submitted_at
            LIMIT ?
            """,
            (post_id, best_limit),
        )
        return PostStats(
            row["answers"],
            row["graded"],
            float(average) if average else None,
            tuple(
                SharedAnswer(r["user_id"], r["display_name"], r["overall"], r["content"])
                for r in best
            ),
        )
