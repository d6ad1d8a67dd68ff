"""Matching: pairing a queue entry with the best waiting member, choosing their question, and
opening their room (undone when Discord refuses it)."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.content.schema import Difficulty, Question, Round
from bot.domain.errors import UserError
from bot.domain.peer_matching import RECENT_PARTNER_DAYS, QueueEntry, choose_partner
from bot.domain.selection import pick_question
from bot.services.peers.context import PeerContext
from bot.services.peers.results import MatchResult, RoomError

log = logging.getLogger(__name__)


class PeerMatching:
    def __init__(self, ctx: PeerContext, *, ai_notes: bool) -> None:
        self._ctx = ctx
        # Whether the room's start tells both members their thread may go to Anthropic.
        self._ai_notes = ai_notes

    async def match(self, entry: QueueEntry, channel_id: int) -> MatchResult | None:
        """Pair `entry` with the best waiting member and open their room (under the lock)."""
        ctx = self._ctx
        now = ctx.clock.now()
        waiting = await ctx.peers.queue.waiting(entry.guild_id)
        recent = await ctx.peers.matching.recent_partners(
            entry.guild_id, entry.user_id, now - timedelta(days=RECENT_PARTNER_DAYS)
        )
        match = choose_partner(entry, waiting, recent, now)
        if match is None:
            return None
        question = await self.pick_question(
            entry.guild_id,
            entry.round,
            match.second.level,
            (match.first.user_id, match.second.user_id),
            avoid=None,
        )
        session = await ctx.peers.matching.create_session(
            match, question_id=question.id, channel_id=channel_id, now=now
        )
        if session is None:
            return None
        settings = await ctx.peers.queue.settings(entry.guild_id)
        try:
            thread_id = await ctx.rooms.open_room(
                session, question, settings, ai_notes=self._ai_notes
            )
        except RoomError as exc:
            log.warning("peer session %s: room not opened: %s", session.session_id, exc.problem)
            await ctx.peers.matching.undo(session.session_id, ctx.clock.now())
            return MatchResult(None, question, exc)
        opened = await ctx.peers.matching.opened(session.session_id, thread_id)
        return MatchResult(opened, question)

    async def rematch(self, entry: QueueEntry) -> MatchResult | None:
        """Try to match a requeued member at once (None: they wait, or were matched meanwhile)."""
        if self._ctx.rooms.room_problem(entry.channel_id) is not None:
            return None
        async with self._ctx.lock(entry.guild_id):
            return await self.match(entry, entry.channel_id)

    async def pick_question(
        self,
        guild_id: int,
        round_name: Round,
        level: Difficulty | None,
        users: tuple[int, int],
        *,
        avoid: str | None,
    ) -> Question:
        """A question neither member met in a peer session yet, at the candidate's level."""
        ctx = self._ctx
        candidates = await ctx.catalog.candidates(guild_id)
        seen = await ctx.peers.matching.questions_seen(guild_id, users)
        if avoid is not None:
            seen[avoid] = seen.get(avoid, 0) + 1_000
        now = ctx.clock.now()
        choice = pick_question(
            candidates,
            seen,
            round_name=round_name,
            difficulty=level,
            seed=f"peer:{guild_id}:{users[0]}:{users[1]}:{now.isoformat()}",
        )
        question = await ctx.catalog.question(guild_id, choice.question_id) if choice else None
        if question is None:
            raise UserError("This server has no questions for that round.", code="no-questions")
        return question
