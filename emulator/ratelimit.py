"""Rate limiting (per-route buckets with headers, an optional global limit) and fault injection."""

from __future__ import annotations

import collections
import hashlib
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


class RouteLimiter:
    """Per-bucket fixed windows answering Discord's ``X-RateLimit-*`` headers (generous)."""

    def __init__(self, limit: int, window: float = 1.0) -> None:
        self.limit = limit
        self.window = window
        self._buckets: dict[str, tuple[float, int]] = {}

    @staticmethod
    def bucket_hash(route: str) -> str:
        return hashlib.sha1(route.encode()).hexdigest()[:16]

    def hit(self, route: str, major: str) -> tuple[bool, dict[str, str]]:
        """Count a request; returns (allowed, headers)."""
        now = time.monotonic()
        key = f"{route}:{major}"
        start, count = self._buckets.get(key, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        allowed = count < self.limit
        if allowed:
            count += 1
        self._buckets[key] = (start, count)
        reset_after = max(0.001, self.window - (now - start))
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - count)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": self.bucket_hash(route),
        }
        if not allowed:
            headers["X-RateLimit-Scope"] = "user"
            headers["Retry-After"] = str(math.ceil(reset_after))
        return allowed, headers

    def retry_after(self, headers: dict[str, str]) -> float:
        return float(headers["X-RateLimit-Reset-After"])


class GlobalLimiter:
    """At most ``limit`` requests in any sliding 1 s window."""

    def __init__(self, limit: int, window: float = 1.0) -> None:
        self.limit = limit
        self.window = window
        self._times: collections.deque[float] = collections.deque()

    def hit(self) -> float | None:
        """Count a request; ``None`` if allowed, else seconds until it would be."""
        now = time.monotonic()
        while self._times and now - self._times[0] >= self.window:
            self._times.popleft()
        if len(self._times) >= self.limit:
            return max(0.001, self.window - (now - self._times[0]))
        self._times.append(now)
        return None


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]+"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(f"^{out}$")


@dataclass
class Fault:
    method: str
    pattern: str
    status: int
    remaining: int
    body: JSON | None
    headers: dict[str, str]
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        path = self.pattern if self.pattern.startswith("/") else "/" + self.pattern
        self.regex = _pattern_regex(path)

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and bool(self.regex.match(path))


DEFAULT_FAULT_BODIES: dict[int, JSON] = {
    400: {"message": "400: Bad Request", "code": 0},
    401: {"message": "401: Unauthorized", "code": 0},
    403: {"message": "Missing Permissions", "code": 50013},
    404: {"message": "404: Not Found", "code": 0},
    429: {"message": "You are being rate limited.", "retry_after": 0.05, "global": False},
    500: {"message": "500: Internal Server Error", "code": 0},
    502: {"message": "502: Bad Gateway", "code": 0},
    503: {"message": "503: Service Unavailable", "code": 0},
    504: {"message": "504: Gateway Timeout", "code": 0},
}


class FaultInjector:
    """``fail_next(method, "/channels/*/messages", 500)``: ``*`` = one path segment, ``**`` any."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(
        self,
        method: str,
        pattern: str,
        status: int,
        count: int,
        body: JSON | None,
        headers: dict[str, str] | None,
    ) -> Fault:
        fault = Fault(method.upper(), pattern, status, count, body, dict(headers or {}))
        self.faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> tuple[int, JSON, dict[str, str]] | None:
        for fault in self.faults:
            if fault.remaining > 0 and fault.matches(method, path):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self.faults.remove(fault)
                body = fault.body
                if body is None:
                    body = DEFAULT_FAULT_BODIES.get(
                        fault.status, {"message": f"{fault.status}", "code": 0}
                    )
                headers = dict(fault.headers)
                if fault.status == 429:
                    retry = float(body.get("retry_after", 0.05))
                    headers.setdefault("Retry-After", str(math.ceil(retry)))
                    headers.setdefault("X-RateLimit-Scope", "user")
                    headers.setdefault("Via", "1.1 google")
                return fault.status, body, headers
        return None
