"""A peer session's rules: whose turn it is, what is due when, no-shows, what earns points."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.content.schema import Difficulty, Round
from bot.domain.errors import UserError
from bot.domain.message import Button, Member, Time
from bot.domain.peer_matching import STARTS_NOW_TOLERANCE

SessionStatus = Literal["opening", "active", "ended", "no_show", "cancelled"]
Role = Literal["interviewer", "candidate"]
NudgeKind = Literal["start", "no_show", "halfway", "time_up"]

# A half shorter than this earns no points: swapping and ending at once is not a session.
MIN_HALF_FOR_POINTS = timedelta(minutes=10)
# A reminder this late (the bot was down) is skipped rather than sent out of context.
NUDGE_LATE = timedelta(minutes=10)
# A session nobody ended is closed this long after its last half's time box ran out.
ABANDON_AFTER = timedelta(hours=2)
# A match whose private thread was never opened (a crash half-way) is undone after this.
OPENING_TIMEOUT = timedelta(minutes=5)


@dataclass(frozen=True)
class PeerSession:
    session_id: int
    guild_id: int
    round: Round
    first_user_id: int
    second_user_id: int
    first_level: Difficulty | None
    second_level: Difficulty | None
    # The question of each half: half 1's candidate is the second member, half 2's the first.
    question_ids: tuple[str, ...]
    channel_id: int
    thread_id: int | None
    status: SessionStatus
    half: int
    starts_at: datetime
    half_started_at: datetime
    created_at: datetime
    ended_at: datetime | None
    first_seen_at: datetime | None
    second_seen_at: datetime | None
    no_show_user_id: int | None

    @property
    def members(self) -> tuple[int, int]:
        return (self.first_user_id, self.second_user_id)

    def is_member(self, user_id: int) -> bool:
        return user_id in self.members

    def partner_of(self, user_id: int) -> int:
        return self.second_user_id if user_id == self.first_user_id else self.first_user_id

    def interviewer_in(self, half: int) -> int:
        return self.first_user_id if half == 1 else self.second_user_id

    def candidate_in(self, half: int) -> int:
        return self.second_user_id if half == 1 else self.first_user_id

    @property
    def interviewer_id(self) -> int:
        return self.interviewer_in(self.half)

    @property
    def candidate_id(self) -> int:
        return self.candidate_in(self.half)

    @property
    def question_id(self) -> str:
        return self.question_ids[self.half - 1]

    def level_of(self, user_id: int) -> Difficulty | None:
        return self.first_level if user_id == self.first_user_id else self.second_level

    def seen(self, user_id: int) -> bool:
        stamp = self.first_seen_at if user_id == self.first_user_id else self.second_seen_at
        return stamp is not None

    @property
    def booked(self) -> bool:
        """Matched for a later slot rather than for right now."""
        return self.starts_at - self.created_at > STARTS_NOW_TOLERANCE

    @property
    def is_open(self) -> bool:
        return self.status == "active"

    def half_for_candidate(self, user_id: int) -> int | None:
        """The half in which `user_id` was the candidate, if it was played."""
        half = 1 if user_id == self.second_user_id else 2
        return half if half <= self.half else None


@dataclass(frozen=True)
class Nudge:
    key: str
    kind: NudgeKind
    due_at: datetime


def nudges(session: PeerSession, time_box: timedelta, no_show_after: timedelta) -> list[Nudge]:
    """The reminders of the current half, in order."""
    out: list[Nudge] = []
    if session.half == 1:
        if session.booked:
            out.append(Nudge("start", "start", session.starts_at))
        if not (session.seen(session.first_user_id) and session.seen(session.second_user_id)):
            out.append(Nudge("no-show", "no_show", session.starts_at + no_show_after))
    half, started = session.half, session.half_started_at
    out.append(Nudge(f"h{half}-halfway", "halfway", started + time_box / 2))
    out.append(Nudge(f"h{half}-time", "time_up", started + time_box))
    return sorted(out, key=lambda n: n.due_at)


def due_nudges(
    session: PeerSession,
    *,
    time_box: timedelta,
    no_show_after: timedelta,
    sent: Collection[str],
    now: datetime,
) -> list[tuple[Nudge, bool]]:
    """Reminders due now and not sent yet, each with whether it is still worth sending."""
    return [
        (n, now - n.due_at <= NUDGE_LATE)
        for n in nudges(session, time_box, no_show_after)
        if n.due_at <= now and n.key not in sent
    ]


def abandoned(session: PeerSession, time_box: timedelta, now: datetime) -> bool:
    return session.is_open and now >= session.half_started_at + time_box + ABANDON_AFTER


def require_member(session: PeerSession, user_id: int) -> None:
    if not session.is_member(user_id):
        raise UserError(
            "This session belongs to {first} and {second}.",
            code="not-member",
            first=Member(session.first_user_id),
            second=Member(session.second_user_id),
        )


def require_open(session: PeerSession) -> None:
    if session.status == "no_show":
        raise UserError("This session was closed after a no-show.", code="closed")
    if session.status != "active":
        raise UserError("This session has ended.", code="closed")


def absent_member(session: PeerSession, reporter: int, now: datetime, wait: timedelta) -> int:
    """Who did not show up, when `reporter` may report it; refuses otherwise."""
    require_member(session, reporter)
    require_open(session)
    absent = session.partner_of(reporter)
    if session.half != 1 or session.seen(absent):
        raise UserError(
            "{member} has been here in this session, so it is not a no-show. If they left, press "
            "{button}.",
            code="present",
            member=Member(absent),
            button=Button("End session"),
        )
    allowed_at = session.starts_at + wait
    if now < allowed_at:
        raise UserError(
            "Give {member} until {time} to arrive before reporting a no-show.",
            code="too-early",
            member=Member(absent),
            time=Time(allowed_at),
        )
    return absent


def half_earns_points(started: datetime, ended: datetime) -> bool:
    return ended - started >= MIN_HALF_FOR_POINTS
