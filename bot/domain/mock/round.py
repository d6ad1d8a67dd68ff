"""A mock round as stored: its status, its turns, the guild's settings, and the limits every
round shares. Pure: the service feeds it stored rounds and the clock's time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from bot.content.schema import Difficulty, Round
from bot.domain.errors import UserError
from bot.domain.grading import Grade
from bot.domain.message import Verbatim

RoundStatus = Literal["opening", "active", "scoring", "closed", "abandoned"]
EndReason = Literal["ended", "time_up", "idle"]
Speaker = Literal["interviewer", "candidate"]
CandidateSource = Literal["modal", "mention", "message"]

MAX_TURN_CHARS: Final = 4000
MAX_CANDIDATE_TURNS: Final = 25
# After the time box: a last answer is still welcome for this long, then the round closes.
GRACE: Final = timedelta(minutes=5)
IDLE_WARNING: Final = timedelta(minutes=5)
# A round earns points only with a real exchange: an answer and at least one follow-up answer.
MIN_TURNS_FOR_POINTS: Final = 2
# A claim whose thread never appeared (a crash between claim and thread) is released after this.
STALE_OPENING: Final = timedelta(minutes=10)
LEFT_NUDGE_MINUTES: Final = 10

DEFAULT_IDLE_MINUTES: Final = 30
DEFAULT_DAILY_LIMIT: Final = 4
IDLE_MINUTES_RANGE: Final = (10, 180)
DAILY_LIMIT_RANGE: Final = (1, 20)


@dataclass(frozen=True)
class MockSettings:
    """What a guild's admins can change."""

    idle_minutes: int = DEFAULT_IDLE_MINUTES
    daily_limit: int = DEFAULT_DAILY_LIMIT

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)


@dataclass(frozen=True)
class MockRound:
    round_id: int
    guild_id: int
    user_id: int
    channel_id: int
    thread_id: int | None
    question_id: str
    round: Round
    difficulty: Difficulty
    time_box_minutes: int
    locale: str | None
    loop_id: int | None
    loop_position: int | None
    status: RoundStatus
    end_reason: str | None
    local_date: str
    started_at: datetime
    last_turn_at: datetime
    ended_at: datetime | None
    score_attempts: int
    retry_after: datetime | None
    grade: Grade | None
    points: int | None
    ended_by: int | None = None  # who used /mock end: the candidate or an admin
    # A phone screen's second question (a 60-minute coding round of two questions).
    second_question_id: str | None = None

    @property
    def deadline(self) -> datetime:
        return self.started_at + timedelta(minutes=self.time_box_minutes)

    @property
    def is_phone_screen(self) -> bool:
        return self.second_question_id is not None

    @property
    def is_active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class MockTurn:
    seq: int
    speaker: Speaker
    content: str
    source: str
    created_at: datetime


def transcript_of(turns: Sequence[MockTurn]) -> list[tuple[str, str]]:
    """The (speaker, text) pairs the graders read."""
    return [(t.speaker, t.content) for t in turns]


def candidate_count(turns: Sequence[MockTurn]) -> int:
    return sum(1 for t in turns if t.speaker == "candidate")


def check_settings(idle_minutes: int | None, daily_limit: int | None) -> None:
    low, high = IDLE_MINUTES_RANGE
    if idle_minutes is not None and not low <= idle_minutes <= high:
        raise UserError(
            Verbatim("idle_minutes"),
            f" must be between {low} and {high}. Nothing was changed.",
            code="bad-setting",
        )
    low, high = DAILY_LIMIT_RANGE
    if daily_limit is not None and not low <= daily_limit <= high:
        raise UserError(
            Verbatim("daily_limit"),
            f" must be between {low} and {high}. Nothing was changed.",
            code="bad-setting",
        )
