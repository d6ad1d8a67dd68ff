"""What the peer use cases return: data for bot/ui to render, never Discord text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.content.schema import Question
from bot.domain.peer_feedback import PeerFeedback
from bot.domain.peer_matching import PeerSettings, QueueEntry
from bot.domain.peer_session import PeerSession
from bot.services.ports import DiscordProblem


@dataclass(frozen=True)
class RoomProblem:
    """Why a channel cannot hold a session's private thread: it is gone (or hidden from the
    bot), it is not a text channel, or the bot lacks `missing` permissions there."""

    kind: Literal["not-found", "not-text", "permissions"]
    channel_id: int
    missing: tuple[str, ...] = ()


class RoomError(DiscordProblem):
    """Discord would not open the session's private thread."""


@dataclass(frozen=True)
class MatchResult:
    """A match found for a queue entry: the opened session, or why its room failed."""

    session: PeerSession | None
    question: Question | None
    problem: RoomError | None = None


@dataclass(frozen=True)
class JoinOutcome:
    entry: QueueEntry
    match: MatchResult | None
    position: int
    waiting: int


@dataclass(frozen=True)
class PeerStatus:
    settings: PeerSettings
    entry: QueueEntry | None
    position: int
    waiting_by_round: dict[str, int]
    session: PeerSession | None
    undelivered: list[tuple[PeerFeedback, Question | None]]
    no_shows: int


@dataclass(frozen=True)
class HalfOutcome:
    """After Swap roles or End session: the session and the points each member earned now."""

    session: PeerSession
    question: Question | None
    points: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class NoShowOutcome:
    session: PeerSession
    absent_id: int
    entry: QueueEntry


@dataclass(frozen=True)
class Guide:
    """The question the member interviews on, and in which half."""

    session: PeerSession
    question: Question
    half: int


@dataclass(frozen=True)
class FeedbackForm:
    session: PeerSession
    receiver_id: int
    receiver_name: str | None  # None: the member is not known by name (the ui says who)
    question: Question


@dataclass(frozen=True)
class FeedbackOutcome:
    feedback: PeerFeedback
    delivered: bool
    points: int


@dataclass(frozen=True)
class SweepReport:
    expired: int = 0
    nudges: int = 0
    closed: int = 0
    undone: int = 0
    notes: int = 0  # AI notes sent on a retry
