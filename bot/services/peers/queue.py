"""The peer queue: a server's peer settings, joining (and being matched at once when a partner
waits), leaving, and where a member stands."""

from __future__ import annotations

from datetime import datetime

from bot.content.schema import Difficulty, Round
from bot.domain.errors import UserError
from bot.domain.message import Button, Channel, Command, Member
from bot.domain.peer_matching import (
    Availability,
    PeerSettings,
    QueueEntry,
    parse_when,
    queue_position,
)
from bot.i18n.messages import N_
from bot.services.peers.context import PeerContext
from bot.services.peers.matching import PeerMatching
from bot.services.peers.results import JoinOutcome, PeerStatus, RoomProblem

# Why a channel cannot hold the session threads, said where it matters: when an admin picks it
# with /peer setup, when the channel an admin set stopped working, and when a member joins in a
# channel that cannot hold them. {channel} is the channel; {permissions} the missing ones, as
# Discord names them.
_SETUP_REFUSALS = {
    "not-found": N_("I cannot find {channel} (deleted, or I cannot see it). Nothing was changed."),
    "not-text": N_(
        "{channel} is not a text channel, and Discord opens private threads only in text "
        "channels. Nothing was changed."
    ),
    "permissions": N_("I am missing {permissions} in {channel}. Nothing was changed."),
}
_SET_CHANNEL_REFUSALS = {
    "not-found": N_(
        "The peer channel an admin set ({channel}) does not work: I cannot find it (deleted, or "
        "I cannot see it). An admin can pick another with {setup}."
    ),
    "not-text": N_(
        "The peer channel an admin set ({channel}) does not work: it is not a text channel, and "
        "Discord opens private threads only in text channels. An admin can pick another with "
        "{setup}."
    ),
    "permissions": N_(
        "The peer channel an admin set ({channel}) does not work: I am missing {permissions} "
        "there. An admin can pick another with {setup}."
    ),
}
_HERE_REFUSALS = {
    "not-found": N_(
        "I cannot find {channel} (deleted, or I cannot see it). Use {join} in a text channel, "
        "or an admin can set one with {setup}. Nothing was changed."
    ),
    "not-text": N_(
        "{channel} is not a text channel, and Discord opens private threads only in text "
        "channels. Use {join} in a text channel, or an admin can set one with {setup}. Nothing "
        "was changed."
    ),
    "permissions": N_(
        "I am missing {permissions} in {channel}. Use {join} in a text channel, or an admin can "
        "set one with {setup}. Nothing was changed."
    ),
}


def _refusal(texts: dict[str, str], problem: RoomProblem) -> UserError:
    return UserError(
        texts[problem.kind],
        code="bad-channel",
        channel=Channel(problem.channel_id),
        permissions=", ".join(problem.missing),
        join=Command("/peer join"),
        setup=Command("/peer setup"),
    )


class PeerQueue:
    def __init__(self, ctx: PeerContext, matching: PeerMatching) -> None:
        self._ctx = ctx
        self._matching = matching

    async def settings(self, guild_id: int) -> PeerSettings:
        return await self._ctx.peers.queue.settings(guild_id)

    async def configure(
        self,
        guild_id: int,
        *,
        channel_id: int | None,
        expiry_minutes: int | None,
        no_show_minutes: int | None,
    ) -> PeerSettings:
        """Change only what was given; the channel is checked before anything is saved."""
        current = await self._ctx.peers.queue.settings(guild_id)
        if channel_id is not None:
            problem = self._ctx.rooms.room_problem(channel_id)
            if problem:
                raise _refusal(_SETUP_REFUSALS, problem)
        updated = PeerSettings(
            guild_id,
            channel_id if channel_id is not None else current.channel_id,
            expiry_minutes if expiry_minutes is not None else current.expiry_minutes,
            no_show_minutes if no_show_minutes is not None else current.no_show_minutes,
        )
        await self._ctx.peers.queue.save_settings(updated, self._ctx.clock.now())
        return updated

    async def join(
        self,
        *,
        guild_id: int,
        user_id: int,
        display_name: str,
        round_name: Round,
        level: Difficulty | None,
        when: str | None,
        channel_id: int,
    ) -> JoinOutcome:
        ctx = self._ctx
        async with ctx.lock(guild_id):
            await self._refuse_if_busy(guild_id, user_id)
            settings = await ctx.peers.queue.settings(guild_id)
            room_channel = self._room_channel(settings, channel_id)
            candidates = await ctx.catalog.candidates(guild_id)
            if not any(c.round == round_name for c in candidates):
                raise UserError(
                    "This server has no questions for that round: pick another round.",
                    code="no-questions",
                )
            now = ctx.clock.now()
            availability = parse_when(
                when, now=now, zone=await ctx.store.guilds.zone(guild_id), wait=settings.expiry
            )
            await ctx.store.members.remember(guild_id, user_id, display_name)
            entry = await self.add(guild_id, user_id, round_name, level, room_channel, availability)
            match = await self._matching.match(entry, room_channel)
            waiting = await ctx.peers.queue.waiting(guild_id)
        position, total = queue_position(entry, waiting)
        return JoinOutcome(entry, match, position, total)

    async def _refuse_if_busy(self, guild_id: int, user_id: int) -> None:
        session = await self._ctx.peers.sessions.open_session_of(guild_id, user_id)
        if session is not None:
            if session.thread_id:
                raise UserError(
                    "You are in a peer session with {member} in {thread}: finish it with "
                    "{button} before joining again.",
                    code="in-session",
                    member=Member(session.partner_of(user_id)),
                    thread=Channel(session.thread_id),
                    button=Button("End session"),
                )
            raise UserError(
                "You are in a peer session with {member}: finish it with {button} before "
                "joining again.",
                code="in-session",
                member=Member(session.partner_of(user_id)),
                button=Button("End session"),
            )
        entry = await self._ctx.peers.queue.waiting_entry(guild_id, user_id)
        if entry is not None:
            raise UserError(
                "You are already in the queue. {status} shows your place; {leave} first to change "
                "round or time.",
                code="already-waiting",
                status=Command("/peer status"),
                leave=Command("/peer leave"),
            )

    def _room_channel(self, settings: PeerSettings, channel_id: int) -> int:
        """The configured peer channel, else this one; refused when no private thread fits."""
        rooms = self._ctx.rooms
        if settings.channel_id is not None:
            problem = rooms.room_problem(settings.channel_id)
            if problem is None:
                return settings.channel_id
            raise _refusal(_SET_CHANNEL_REFUSALS, problem)
        problem = rooms.room_problem(channel_id)
        if problem is not None:
            raise _refusal(_HERE_REFUSALS, problem)
        return channel_id

    async def add(
        self,
        guild_id: int,
        user_id: int,
        round_name: str,
        level: str | None,
        channel_id: int,
        availability: Availability,
        *,
        joined_at: datetime | None = None,
        front: bool = False,
    ) -> QueueEntry:
        entry = await self._ctx.peers.queue.add_entry(
            guild_id=guild_id,
            user_id=user_id,
            round_name=round_name,
            level=level,
            channel_id=channel_id,
            availability=availability,
            joined_at=joined_at or self._ctx.clock.now(),
            front=front,
        )
        if entry is None:
            raise UserError("You are already in the queue.", code="already-waiting")
        return entry

    async def leave(self, guild_id: int, user_id: int) -> QueueEntry:
        ctx = self._ctx
        async with ctx.lock(guild_id):
            entry = await ctx.peers.queue.leave(guild_id, user_id, ctx.clock.now())
        if entry is None:
            session = await ctx.peers.sessions.open_session_of(guild_id, user_id)
            if session is not None:
                raise UserError(
                    "You are not in the queue: you are matched already. To call the session "
                    "off, press {button} in {thread}.",
                    code="in-session",
                    button=Button("End session"),
                    thread=Channel(session.thread_id or session.channel_id),
                )
            raise UserError("You are not in the peer queue.", code="not-waiting")
        return entry

    async def status(self, guild_id: int, user_id: int) -> PeerStatus:
        peers = self._ctx.peers
        waiting = await peers.queue.waiting(guild_id)
        entry = next((e for e in waiting if e.user_id == user_id), None)
        by_round: dict[str, int] = {}
        for e in waiting:
            by_round[e.round] = by_round.get(e.round, 0) + 1
        undelivered = [
            (f, await self._ctx.catalog.question(guild_id, f.question_id))
            for f in await peers.feedback.claim_undelivered(guild_id, user_id)
        ]
        return PeerStatus(
            settings=await peers.queue.settings(guild_id),
            entry=entry,
            position=queue_position(entry, waiting)[0] if entry else 0,
            waiting_by_round=by_round,
            session=await peers.sessions.open_session_of(guild_id, user_id),
            undelivered=undelivered,
            no_shows=await peers.sessions.no_shows(guild_id, user_id),
        )
