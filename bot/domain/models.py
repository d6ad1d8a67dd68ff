"""Plain records the store returns and the services work with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.content.schema import Round
from bot.domain.schedule import DEFAULT_ROTATION, RotationSlot, parse_rotation

# The member id left in rows shared with someone else after a member deleted their data.
DELETED_MEMBER = 0


@dataclass(frozen=True)
class GuildConfig:
    guild_id: int
    channel_id: int | None
    post_time: time | None
    timezone: str | None
    ping_role_id: int | None
    paused: bool
    rotation_text: str | None
    config_channel_id: int | None
    schedule_changed_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    last_warning: str | None
    # The language chosen for the server's channel posts (a Discord locale code); None follows
    # the server's preferred locale.
    language: str | None = None

    @property
    def is_configured(self) -> bool:
        return self.channel_id is not None and self.post_time is not None and bool(self.timezone)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone or "UTC")

    @property
    def rotation(self) -> tuple[RotationSlot, ...]:
        return parse_rotation(self.rotation_text or DEFAULT_ROTATION)


@dataclass(frozen=True)
class DailyPost:
    post_id: int
    guild_id: int
    local_date: str
    question_id: str
    round: Round
    channel_id: int
    status: str
    message_id: int | None
    thread_id: int | None
    attempts: int
    posted_at: datetime | None
    revealed_at: datetime | None


@dataclass(frozen=True)
class StoredAnswer:
    answer_id: int
    guild_id: int
    user_id: int
    post_id: int | None
    question_id: str
    source: str
    content: str
    locale: str | None
    status: str
    local_date: str
    submitted_at: datetime
    revision: int


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    user_id: int
    display_name: str
    points: int


@dataclass(frozen=True)
class SharedAnswer:
    """A graded answer whose author agreed to have it quoted at the reveal."""

    user_id: int
    display_name: str
    overall: float
    content: str


@dataclass(frozen=True)
class PostStats:
    answers: int
    graded: int
    average: float | None
    best_shared: tuple[SharedAnswer, ...] = ()
