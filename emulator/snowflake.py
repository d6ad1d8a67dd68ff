"""Snowflakes: increasing ints with a real timestamp part (so sharding by ``id >> 22`` works)."""

from __future__ import annotations

import datetime as dt
import time

DISCORD_EPOCH_MS = 1_420_070_400_000


class SnowflakeGenerator:
    """Generates strictly increasing snowflakes; ``new_timestamp`` moves to a fresh millisecond."""

    def __init__(self) -> None:
        self._last = 0

    def next(self, *, new_timestamp: bool = False) -> int:
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        candidate = now_ms << 22
        if new_timestamp:
            candidate = max(candidate, ((self._last >> 22) + 1) << 22)
        value = max(candidate, self._last + 1)
        self._last = value
        return value


def iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def iso_at(seconds_from_now: float) -> str:
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds_from_now)
    return moment.isoformat()
