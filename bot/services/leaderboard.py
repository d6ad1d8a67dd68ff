"""Leaderboards over a period in the guild's own calendar."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.models import LeaderboardRow
from bot.store import Store

Period = Literal["week", "month", "all"]


def period_start(now: datetime, period: Period, zone_name: str | None) -> datetime | None:
    """Monday 00:00 or the 1st 00:00 in the guild's timezone, as UTC; None for all time."""
    if period == "all":
        return None
    zone = ZoneInfo(zone_name or "UTC")
    today = now.astimezone(zone).date()
    first = today - timedelta(days=today.weekday()) if period == "week" else today.replace(day=1)
    return datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)


class LeaderboardService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def top(
        self, guild_id: int, period: Period, round_name: str | None, limit: int = 10
    ) -> list[LeaderboardRow]:
        config = await self._store.guilds.get(guild_id)
        since = period_start(self._clock.now(), period, config.timezone if config else None)
        return await self._store.points.leaderboard(
            guild_id, since=since, round_name=round_name, limit=limit
        )
