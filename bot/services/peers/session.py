"""In a peer session: turning up, the interviewer's guide, swapping roles, ending (and the
points each half earns), and reporting a partner who did not come."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import UserError
from bot.domain.message import Button, Member
from bot.domain.peer_matching import Availability
from bot.domain.peer_session import (
    PeerSession,
    Role,
    absent_member,
    half_earns_points,
    require_open,
)
from bot.domain.points import peer_session_points
from bot.domain.schedule import local_date
from bot.services.peers.context import PeerContext
from bot.services.peers.matching import PeerMatching
from bot.services.peers.queue import PeerQueue
from bot.services.peers.results import Guide, HalfOutcome, NoShowOutcome


class PeerSessions:
    def __init__(self, ctx: PeerContext, queue: PeerQueue, matching: PeerMatching) -> None:
        self._ctx = ctx
        self._queue = queue
        self._matching = matching

    async def check_in(self, session_id: int, user_id: int, *, guild_id: int) -> PeerSession:
        session = await self._ctx.member_session(session_id, user_id, guild_id)
        require_open(session)
        return session

    async def seen_in_thread(self, thread_id: int, user_id: int, *, guild_id: int) -> None:
        """A message in a session thread shows its author turned up."""
        sessions = self._ctx.peers.sessions
        session = await sessions.session_in_thread(thread_id)
        if (
            session is not None
            and session.guild_id == guild_id
            and session.is_open
            and session.is_member(user_id)
        ):
            await sessions.mark_seen(session.session_id, user_id, self._ctx.clock.now())

    async def guide(self, session_id: int, user_id: int, *, guild_id: int) -> Guide:
        """The interviewer's guide: only for the member interviewing now (or, once the session
        ended, for the half they interviewed, to help them write feedback)."""
        session = await self._ctx.member_session(session_id, user_id, guild_id)
        if session.status in ("no_show", "cancelled"):
            require_open(session)
        if session.is_open:
            if user_id != session.interviewer_id:
                raise UserError(
                    "Only the interviewer sees the guide. In this half that is {member}; you "
                    "are the candidate, so the question above is all you need. No peeking!",
                    code="not-interviewer",
                    member=Member(session.interviewer_id),
                )
            question = await self._ctx.question(session, session.half)
            return Guide(session, question, session.half)
        half = 1 if user_id == session.first_user_id else 2
        if half > session.half:
            raise UserError("You did not interview in this session.", code="not-interviewer")
        return Guide(session, await self._ctx.question(session, half), half)

    async def swap(self, session_id: int, user_id: int, *, guild_id: int) -> HalfOutcome:
        session = await self._ctx.member_session(session_id, user_id, guild_id)
        require_open(session)
        if session.half != 1:
            raise UserError(
                "Roles were already swapped: this is the second half. Press {button} when you "
                "are done.",
                code="swapped",
                button=Button("End session"),
            )
        question = await self._matching.pick_question(
            session.guild_id,
            session.round,
            session.first_level,
            session.members,
            avoid=session.question_ids[0],
        )
        now = self._ctx.clock.now()
        swapped = await self._ctx.peers.sessions.swap(session_id, question.id, now)
        if swapped is None:
            raise UserError("Roles were already swapped.", code="swapped")
        points = await self._award_half(session, 1, now)
        return HalfOutcome(swapped, question, points)

    async def end(self, session_id: int, user_id: int, *, guild_id: int) -> HalfOutcome:
        session = await self._ctx.member_session(session_id, user_id, guild_id)
        require_open(session)
        finished = await self.finish(session)
        if finished is None:
            raise UserError("This session has already ended.", code="closed")
        return finished

    async def finish(self, session: PeerSession) -> HalfOutcome | None:
        """Close the session and award its last half; None when it was already closed."""
        now = self._ctx.clock.now()
        ended = await self._ctx.peers.sessions.end(session.session_id, now)
        if ended is None:
            return None
        points = await self._award_half(ended, ended.half, now)
        return HalfOutcome(ended, None, points)

    async def _award_half(self, session: PeerSession, half: int, now: datetime) -> dict[int, int]:
        """Points for a half both members turned up for and that lasted long enough."""
        both_seen = session.seen(session.first_user_id) and session.seen(session.second_user_id)
        if not both_seen or not half_earns_points(session.half_started_at, now):
            return {}
        store = self._ctx.store
        day = local_date(now, await store.guilds.zone(session.guild_id)).isoformat()
        earned: dict[int, int] = {}
        roles: tuple[tuple[int, Role], ...] = (
            (session.interviewer_in(half), "interviewer"),
            (session.candidate_in(half), "candidate"),
        )
        for user_id, role in roles:
            amount = peer_session_points(role)
            await store.points.award(
                guild_id=session.guild_id,
                user_id=user_id,
                kind=f"peer_{role}",
                ref=f"{session.session_id}:{half}",
                round_name=session.round,
                amount=amount,
                local_date=day,
                now=now,
            )
            earned[user_id] = amount
        return earned

    async def report_no_show(
        self, session_id: int, reporter_id: int, *, guild_id: int
    ) -> NoShowOutcome:
        """Record the partner's no-show and put the reporter back at the front of the queue.
        Matching them again is `PeerMatching.rematch`, so this answers within Discord's 3 s."""
        ctx = self._ctx
        session = await ctx.member_session(session_id, reporter_id, guild_id)
        settings = await ctx.peers.queue.settings(session.guild_id)
        now = ctx.clock.now()
        absent = absent_member(session, reporter_id, now, settings.no_show_after)
        async with ctx.lock(session.guild_id):
            closed = await ctx.peers.sessions.record_no_show(session_id, absent, now)
            if closed is None:
                raise UserError("This session is already closed.", code="closed")
            old = await ctx.peers.queue.session_entry(session_id, reporter_id)
            # Same round and level, available now, and ahead of everyone who waits.
            entry = await self._queue.add(
                session.guild_id,
                reporter_id,
                session.round,
                session.level_of(reporter_id),
                session.channel_id,
                Availability(now, now + settings.expiry, windowed=False),
                joined_at=old.joined_at if old else now,
                front=True,
            )
        return NoShowOutcome(closed, absent, entry)
