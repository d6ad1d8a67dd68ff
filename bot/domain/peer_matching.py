"""The peer queue: when a member is free, who fits whom, and who interviews first."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.content.schema import DIFFICULTIES, Difficulty, Round
from bot.domain.errors import UserError
from bot.domain.message import Verbatim

# A booked window must leave room for a real session, and a booking is for this week, not later.
MIN_SESSION = timedelta(minutes=30)
MAX_BOOKING_AHEAD = timedelta(days=7)
RECENT_PARTNER_DAYS = 14
# A slot this close to now is "now": the session starts at once instead of being booked.
STARTS_NOW_TOLERANCE = timedelta(minutes=1)

_DAYS = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_WHEN = re.compile(
    r"^(?:(?P<day>today|tomorrow|[a-z]{3,9})\s+)?"
    r"(?P<h1>[01]?\d|2[0-3]):(?P<m1>[0-5]\d)\s*(?:-|–|to)\s*(?P<h2>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)$"
)
# The examples of a time window, the `{now}`, `{window}`, `{tomorrow}` and `{day}` of the
# refusals below.
WHEN_EXAMPLES: dict[str, object] = {
    "now": Verbatim("now"),
    "window": Verbatim("18:00-20:00"),
    "tomorrow": Verbatim("tomorrow 19:00-21:00"),
    "day": Verbatim("sat 10:00-12:00"),
}


@dataclass(frozen=True)
class Availability:
    """When a member can start a session: from `earliest` up to `latest` (a start time, so the
    session itself may run past it). `windowed` is False for "now" entries."""

    earliest: datetime
    latest: datetime
    windowed: bool


@dataclass(frozen=True)
class QueueEntry:
    entry_id: int
    guild_id: int
    user_id: int
    round: Round
    level: Difficulty | None
    channel_id: int
    joined_at: datetime
    earliest: datetime
    latest: datetime
    windowed: bool
    # Put back at the front after a partner did not show up.
    front: bool = False

    @property
    def order(self) -> tuple[int, datetime, int]:
        """Queue order: front entries first, then by joining time."""
        return (0 if self.front else 1, self.joined_at, self.entry_id)

    def expired(self, now: datetime) -> bool:
        return now > self.latest


@dataclass(frozen=True)
class Match:
    """A pair and when their session starts. `first` joined earlier and interviews first."""

    first: QueueEntry
    second: QueueEntry
    starts_at: datetime

    def starts_now(self, now: datetime) -> bool:
        return self.starts_at - now <= STARTS_NOW_TOLERANCE


def parse_when(text: str | None, *, now: datetime, zone: ZoneInfo, wait: timedelta) -> Availability:
    """`now` (or nothing): available at once, waiting up to `wait`. Otherwise a local window."""
    cleaned = " ".join((text or "").strip().casefold().split())
    if cleaned in ("", "now", "asap"):
        return Availability(now, now + wait, windowed=False)
    match = _WHEN.fullmatch(cleaned)
    if match is None:
        raise UserError(
            "{text} is not a time window. Use {now}, or a window in the server's time such as "
            "{window}, {tomorrow} or {day}.",
            code="bad-when",
            text=Verbatim((text or "")[:40]),
            **WHEN_EXAMPLES,
        )
    local_now = now.astimezone(zone)
    start_at = time(int(match["h1"]), int(match["m1"]))
    end_at = time(int(match["h2"]), int(match["m2"]))
    day_word = match["day"]
    if day_word is None:
        start, end = _window(local_now.date(), start_at, end_at, zone)
        if end - MIN_SESSION < now:
            start, end = _window(local_now.date() + timedelta(days=1), start_at, end_at, zone)
    else:
        start, end = _window(_resolve_day(day_word, local_now.date()), start_at, end_at, zone)
    earliest = max(start, now)
    if end - earliest < MIN_SESSION:
        raise UserError(
            "That window is over, or leaves less than 30 minutes: pick a later or longer one. "
            "Use {now}, or a window in the server's time such as {window}, {tomorrow} or {day}.",
            code="bad-when",
            **WHEN_EXAMPLES,
        )
    if start - now > MAX_BOOKING_AHEAD:
        raise UserError("Book at most a week ahead.", code="bad-when")
    return Availability(earliest, end - MIN_SESSION, windowed=True)


def _resolve_day(word: str, today: date) -> date:
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    weekday = _DAYS.get(word[:3])
    if weekday is None or not _is_day_name(word):
        raise UserError(
            "{text} is not a day. Use {now}, or a window in the server's time such as {window}, "
            "{tomorrow} or {day}.",
            code="bad-when",
            text=Verbatim(word[:20]),
            **WHEN_EXAMPLES,
        )
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _is_day_name(word: str) -> bool:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return any(name.startswith(word) for name in names)


def _window(day: date, start_at: time, end_at: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, start_at, tzinfo=zone)
    end_day = day if end_at > start_at else day + timedelta(days=1)
    end = datetime.combine(end_day, end_at, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def slot_start(a: QueueEntry, b: QueueEntry, now: datetime) -> datetime | None:
    """The first moment both can start, or None when their windows do not overlap."""
    start = max(a.earliest, b.earliest, now)
    return start if start <= min(a.latest, b.latest) else None


def level_distance(a: Difficulty | None, b: Difficulty | None) -> int:
    """0 for the same level; "any" is a fair fit; adjacent levels next; easy with hard last."""
    if a is None or b is None:
        return 1 if a != b else 0
    return 2 * abs(DIFFICULTIES.index(a) - DIFFICULTIES.index(b))


def choose_partner(
    entry: QueueEntry,
    waiting: Sequence[QueueEntry],
    recent_partners: Collection[int],
    now: datetime,
) -> Match | None:
    """The best waiting partner for `entry`: same round, overlapping windows; someone not met in
    the last 14 days if anyone such is waiting; then the nearest level; then queue order."""
    fits = [
        (other, start)
        for other in waiting
        if other.user_id != entry.user_id
        and other.guild_id == entry.guild_id
        and other.round == entry.round
        and not other.expired(now)
        and (start := slot_start(entry, other, now)) is not None
    ]
    if not fits:
        return None
    fresh = [(other, start) for other, start in fits if other.user_id not in recent_partners]
    pool = fresh or fits
    partner, start = min(pool, key=lambda f: (level_distance(entry.level, f[0].level), f[0].order))
    first, second = sorted((entry, partner), key=lambda e: e.order)
    return Match(first, second, start)


def queue_position(entry: QueueEntry, waiting: Sequence[QueueEntry]) -> tuple[int, int]:
    """(1-based position, how many wait) among the entries for the same round; position 0 when
    the entry no longer waits."""
    same = sorted((e for e in waiting if e.round == entry.round), key=lambda e: e.order)
    ids = [e.entry_id for e in same]
    return (ids.index(entry.entry_id) + 1 if entry.entry_id in ids else 0), len(same)


DEFAULT_EXPIRY_MINUTES = 60
DEFAULT_NO_SHOW_MINUTES = 10


@dataclass(frozen=True)
class PeerSettings:
    """A guild's peer settings; `channel_id` None means the channel where the match happens."""

    guild_id: int
    channel_id: int | None = None
    expiry_minutes: int = DEFAULT_EXPIRY_MINUTES
    no_show_minutes: int = DEFAULT_NO_SHOW_MINUTES

    @property
    def expiry(self) -> timedelta:
        return timedelta(minutes=self.expiry_minutes)

    @property
    def no_show_after(self) -> timedelta:
        return timedelta(minutes=self.no_show_minutes)
