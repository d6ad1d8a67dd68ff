"""Optional AI notes for each candidate, from what was typed in the session's thread. Either
member may say no before any text is sent."""

from __future__ import annotations

import logging

from bot.content.schema import Question
from bot.domain.grading import Grade, GradingUnavailable
from bot.domain.peer_session import PeerSession
from bot.llm.base import Grader, Transcript, candidate_turns
from bot.llm.usage import usage_scope
from bot.services.grading import GradingService
from bot.services.peers.context import PeerContext

log = logging.getLogger(__name__)


class PeerNotes:
    def __init__(self, ctx: PeerContext, budget: GradingService, grader: Grader | None) -> None:
        self._ctx = ctx
        # The AI notes count against the day's limits.
        self._budget = budget
        # Set only when the bot can read the thread (message content) and an AI grader is there.
        self._grader = grader

    @property
    def enabled(self) -> bool:
        return self._grader is not None

    async def decline(self, session_id: int, user_id: int, *, guild_id: int) -> None:
        """Either member may say no to AI notes (shown before any text is sent); then the
        session's thread text is not sent to Anthropic, for either of them."""
        session = await self._ctx.member_session(session_id, user_id, guild_id)
        await self._ctx.peers.sessions.decline_ai_notes(session.session_id)

    async def summarize(self, session: PeerSession) -> int:
        """Optional AI notes for each candidate, from what was typed in the thread, sent to them
        privately; returns how many were sent. Best effort: the session is already closed."""
        ctx = self._ctx
        if self._grader is None:
            return 0
        if not await ctx.peers.sessions.ai_notes_allowed(session.session_id):
            return 0  # a member said no: nothing of the thread leaves
        sent = 0
        transcripts = await ctx.rooms.transcripts(session)
        for half in range(1, session.half + 1):
            transcript = transcripts.get(half, [])
            if not candidate_turns(transcript):
                continue
            question = await ctx.question(session, half)
            candidate = session.candidate_in(half)
            grade = await self._note(session, candidate, question, transcript)
            if grade is not None and await ctx.rooms.deliver_summary(candidate, question, grade):
                sent += 1
        return sent

    async def _note(
        self, session: PeerSession, candidate: int, question: Question, transcript: Transcript
    ) -> Grade | None:
        """One candidate's AI notes, within the day's limits; None when there are none."""
        grader = self._grader
        if grader is None:
            return None
        try:
            async with self._budget.admitted_call(session.guild_id, candidate, "peer_note") as call:
                if not call.admitted:
                    log.info(
                        "peer notes for session %s: over today's AI limits", session.session_id
                    )
                    return None
                with usage_scope(session.guild_id, candidate):
                    return await grader.grade_transcript(
                        question, transcript, operation="peer_note"
                    )
        except GradingUnavailable as exc:
            log.warning("peer summary for session %s: %s", session.session_id, exc.reason)
            return None
