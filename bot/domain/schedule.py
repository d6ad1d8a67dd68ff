"""Daily schedules in a guild's own timezone: parsing, local dates, DST-safe instants, rotation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.content.schema import DIFFICULTIES, ROUNDS, Difficulty, Round
from bot.domain.errors import UserError
from bot.domain.message import Verbatim

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_post_time(text: str) -> time:
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise UserError(
            Verbatim(text[:20]),
            " is not a time: use 24-hour ",
            Verbatim("HH:MM"),
            ", for example ",
            Verbatim("09:00"),
            " or ",
            Verbatim("18:30"),
            ".",
            code="bad-time",
        )
    return time(int(match.group(1)), int(match.group(2)))


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def timezone_names() -> list[str]:
    return sorted(_zone_names())


def parse_timezone(name: str) -> ZoneInfo:
    cleaned = name.strip()
    if cleaned not in _zone_names():
        raise UserError(
            Verbatim(cleaned[:40]),
            " is not a timezone I know: pick an IANA name such as ",
            Verbatim("Europe/Berlin"),
            " or ",
            Verbatim("America/New_York"),
            " from the suggestions.",
            code="bad-timezone",
        )
    try:
        return ZoneInfo(cleaned)
    except ZoneInfoNotFoundError:
        raise UserError(
            Verbatim(cleaned[:40]), " is not a timezone I know.", code="bad-timezone"
        ) from None


def suggest_timezones(typed: str, limit: int = 25) -> list[str]:
    """Autocomplete from memory: prefix matches first, then substring matches."""
    needle = typed.strip().casefold().replace(" ", "_")
    names = timezone_names()
    if not needle:
        popular = [
            "UTC",
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Los_Angeles",
            "Europe/London",
            "Europe/Berlin",
            "Europe/Paris",
            "Asia/Kolkata",
            "Asia/Singapore",
            "Asia/Tokyo",
            "Australia/Sydney",
        ]
        return popular[:limit]
    prefix = [n for n in names if n.casefold().startswith(needle)]
    city = [n for n in names if n not in prefix and n.casefold().split("/")[-1].startswith(needle)]
    inner = [n for n in names if n not in prefix and n not in city and needle in n.casefold()]
    return (prefix + city + inner)[:limit]


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def scheduled_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of `at` on `day` in `zone`.

    A wall time skipped by a spring-forward gap maps (fold=0, the offset before the change) to the
    same wall time shifted by the gap, e.g. 02:30 → 03:30; a repeated autumn time maps to its first
    occurrence. Both are what APScheduler's cron trigger fires at, so the two agree.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def next_post_at(
    now: datetime, at: time, zone: ZoneInfo, *, posted_today: bool = False
) -> datetime:
    """The next instant the daily post will go out; once today's is out, that is tomorrow's."""
    today = local_date(now, zone)
    for offset in range(1 if posted_today else 0, 4):
        candidate = scheduled_instant(today + timedelta(days=offset), at, zone)
        if candidate > now:
            return candidate
    raise AssertionError("a daily time always recurs within three days")


@dataclass(frozen=True)
class RotationSlot:
    round: Round
    difficulty: Difficulty | None = None

    def label(self) -> str:
        text = self.round.replace("_", " ")
        return f"{text} ({self.difficulty})" if self.difficulty else text


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_ROTATION = "coding,system_design,behavioral,coding,ml_design,coding:easy,recruiter_screen"


def parse_rotation(text: str) -> tuple[RotationSlot, ...]:
    """Seven comma-separated slots, Monday first: `round` or `round:difficulty`."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) != 7:
        raise UserError(
            "A rotation has seven slots, Monday to Sunday, separated by commas, e.g. ",
            Verbatim(DEFAULT_ROTATION),
            ".",
            code="bad-rotation",
        )
    slots = []
    for part in parts:
        round_name, _, difficulty = part.partition(":")
        if round_name not in ROUNDS:
            raise UserError(
                Verbatim(round_name[:30]),
                f" is not a round: use one of {', '.join(ROUNDS)}.",
                code="bad-rotation",
            )
        if difficulty and difficulty not in DIFFICULTIES:
            raise UserError(
                Verbatim(difficulty[:20]),
                " is not a difficulty: use easy, medium or hard.",
                code="bad-rotation",
            )
        slots.append(RotationSlot(round_name, difficulty or None))
    return tuple(slots)


def reserved_difficulties(
    rotation: tuple[RotationSlot, ...], slot: RotationSlot
) -> frozenset[Difficulty]:
    """The difficulties of `slot`'s round that another slot of the rotation asks for by name."""
    if slot.difficulty is not None:
        return frozenset()
    return frozenset(
        s.difficulty for s in rotation if s.round == slot.round and s.difficulty is not None
    )


def format_rotation(slots: tuple[RotationSlot, ...]) -> str:
    return ",".join(f"{s.round}:{s.difficulty}" if s.difficulty else s.round for s in slots)


def slot_for(day: date, rotation: tuple[RotationSlot, ...]) -> RotationSlot:
    return rotation[day.weekday()]
