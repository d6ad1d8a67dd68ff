"""Per-member cooldown buckets, on discord.py's `app_commands.Cooldown` (a token bucket): one use
per N seconds for each (server, member, kind). In memory: a restart forgives everyone, which is
fine for a guard against bursts."""

from __future__ import annotations

import time

from discord import app_commands

# Past this many buckets, those whose window has passed are dropped, so the map stays small.
PRUNE_AT = 5000

Key = tuple[int, int, str]


class Throttle:
    def __init__(self) -> None:
        self._buckets: dict[Key, app_commands.Cooldown] = {}

    def __len__(self) -> int:
        return len(self._buckets)

    def hit(
        self, guild_id: int, user_id: int, kind: str, seconds: int, now: float | None = None
    ) -> float:
        """Use one token; returns 0 when allowed, else the seconds until the next use."""
        if seconds <= 0:
            return 0.0
        current = time.time() if now is None else now
        key = (guild_id, user_id, kind)
        bucket = self._buckets.get(key)
        if bucket is None or bucket.per != seconds:
            if len(self._buckets) >= PRUNE_AT:
                self._prune(current)
            bucket = self._buckets[key] = app_commands.Cooldown(1, seconds)
        return bucket.update_rate_limit(current) or 0.0

    def _prune(self, now: float) -> None:
        for key in [k for k, b in self._buckets.items() if b.get_tokens(now) == b.rate]:
            del self._buckets[key]
