"""Column conversions shared by the repositories."""

from __future__ import annotations

from datetime import UTC, datetime, time


def to_iso(instant: datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return instant.astimezone(UTC).isoformat()


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def parse_hhmm(text: str | None) -> time | None:
    if not text:
        return None
    hour, minute = text.split(":")
    return time(int(hour), int(minute))
