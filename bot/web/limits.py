"""A per-client request limit for the companion (one process: kept in memory)."""

from __future__ import annotations

import time

REQUESTS_PER_MINUTE = 120


class RateLimiter:
    """A fixed window per client: a session when there is one, else the address."""

    def __init__(self, per_minute: int = REQUESTS_PER_MINUTE) -> None:
        self._per_minute = per_minute
        self._windows: dict[str, tuple[int, int]] = {}

    def allow(self, client: str, now: float | None = None) -> bool:
        minute = int((time.monotonic() if now is None else now) // 60)
        seen_minute, count = self._windows.get(client, (minute, 0))
        if seen_minute != minute:
            count = 0
            if len(self._windows) > 10_000:  # forget last minute's clients
                self._windows = {k: v for k, v in self._windows.items() if v[0] == minute}
        self._windows[client] = (minute, count + 1)
        return count < self._per_minute
