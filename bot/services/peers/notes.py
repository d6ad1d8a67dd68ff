"""Optional AI notes for each candidate, from what was typed in the session's thread. Either
member may say no before any text is sent."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.content.schema import Question
from bot.domain.grading import (
    MAX_AI_ATTEMPTS,
    MAX_RETRY_DELAY,
    Grade,
    GradingUnavailable,
    retry_wait,
)
from bot.domain.peer_session import PeerSession
from bot.domain.spend import Fallback
from bot.llm.base import Grader, Transcript, candidate_turns
from bot.llm.offline import OfflineGrader
from bot.llm.usage import usage_scope
from bot.services.grading import GradingService
from bot.services.peers.context import PeerContext
from bot.sharding import EVERY_GUILD, ShardPlan

log = logging.getLogger(__name__)

BOTH_HALVES = frozenset({1, 2})


class PeerNotes:
    def __init__(self, ctx: PeerContext, budget: GradingService, grader: Grader | None) -> None:
        self._ctx = ctx
        # The AI notes count against the day's limits.
        self._budget = budget
        # Set only when the bot can read the thread (message content) and an AI grader is there.
        self._grader = grader
        self._offline = OfflineGrader()

    @property
    def enabled(self) -> bool:
        return self._grader is not None

    async def decline(self, session_id: int, user_id: int, *, guild_id: int) -> None:
        """Either member may say no to AI notes (shown before any text is sent); then the
        session's thread text is not sent to Anthropic, for either of them."""
        session = await self._ctx.member_session(session_id, user_id, guild_id)
        await self._ctx.peers.sessions.decline_ai_notes(session.session_id)

    async def summarize(
        self,
        session: PeerSession,
        halves: frozenset[int] = BOTH_HALVES,
        attempts: int = 0,
    ) -> int:
        """Optional AI notes for each candidate, from what was typed in the thread, sent to them
        privately; returns how many were sent. Best effort: the session is already closed.
        Notes the AI cannot give now (overloaded, timing out) wait for the sweep's retry, with
        back-off; a refusal, a spent budget or a retry too many gives an offline stand-in,
        labelled approximate."""
        ctx = self._ctx
        if self._grader is None:
            return 0
        if not await ctx.peers.sessions.ai_notes_allowed(session.session_id):
            if attempts:  # notes waited: they wait no more
                await ctx.peers.sessions.delay_notes(
                    session.session_id, frozenset(), attempts, ctx.clock.now()
                )
            return 0  # a member said no: nothing of the thread leaves
        pending = set(halves)
        # Written before any AI call and after each note, so a note cut off by a stop or a
        # crash is the sweep's to retry once the lease ends: never lost, never sent twice.
        lease = ctx.clock.now() + MAX_RETRY_DELAY
        await ctx.peers.sessions.delay_notes(
            session.session_id, frozenset(pending), attempts, lease
        )
        sent = 0
        waiting: set[int] = set()
        retry_hint = 0.0  # the API's own word on when to come back, in seconds
        transcripts = await ctx.rooms.transcripts(session)
        for half in sorted(halves):
            outcome = await self._half_note(session, half, transcripts.get(half, []), attempts)
            pending.discard(half)
            if isinstance(outcome, GradingUnavailable):
                waiting.add(half)
                retry_hint = max(retry_hint, outcome.retry_after or 0)
            else:
                sent += outcome
            if pending:
                await ctx.peers.sessions.delay_notes(
                    session.session_id, frozenset(pending | waiting), attempts, lease
                )
        wait = retry_wait(attempts, timedelta(seconds=retry_hint))
        await ctx.peers.sessions.delay_notes(
            session.session_id,
            frozenset(waiting),
            attempts + 1 if waiting or attempts else attempts,
            ctx.clock.now() + wait,
        )
        return sent

    async def _half_note(
        self, session: PeerSession, half: int, transcript: Transcript, attempts: int
    ) -> int | GradingUnavailable:
        """The notes of one half sent to its candidate (1 when sent), or why the AI must be
        asked again later."""
        ctx = self._ctx
        candidate = session.candidate_in(half) if half <= session.half else None
        if not candidate or not candidate_turns(transcript):
            return 0
        question = await ctx.question(session, half)
        note = await self._note(session, candidate, question, transcript, attempts)
        if isinstance(note, GradingUnavailable):
            return note
        grade, fallback = note
        return int(
            await ctx.rooms.deliver_summary(session.guild_id, candidate, question, grade, fallback)
        )

    async def retry_due(self, shards: ShardPlan = EVERY_GUILD) -> int:
        """The sweep: AI notes whose retry time came; returns how many notes were sent."""
        now = self._ctx.clock.now()
        due = await self._ctx.peers.sessions.notes_due(now, now + MAX_RETRY_DELAY, shards)
        sent = 0
        for retry in due:
            try:
                sent += await self.summarize(retry.session, retry.halves, retry.attempts)
            except Exception:
                log.exception("retrying the AI notes of session %s", retry.session.session_id)
        return sent

    async def _note(
        self,
        session: PeerSession,
        candidate: int,
        question: Question,
        transcript: Transcript,
        attempts: int,
    ) -> tuple[Grade, Fallback | None] | GradingUnavailable:
        """One candidate's AI notes within the day's limits, or the offline stand-in with why;
        the failure when the AI should be asked again later."""
        grader = self._grader
        assert grader is not None
        try:
            async with self._budget.admitted_call(session.guild_id, candidate, "peer_note") as call:
                if call.admitted:
                    with usage_scope(session.guild_id, candidate):
                        grade = await grader.grade_transcript(
                            question, transcript, operation="peer_note"
                        )
                    return grade, None
            fallback = call.fallback
            log.info("peer notes for session %s: over today's AI limits", session.session_id)
        except GradingUnavailable as exc:
            log.warning("peer notes for session %s: %s", session.session_id, exc.reason)
            if exc.retryable and attempts + 1 < MAX_AI_ATTEMPTS:
                return exc
            fallback = Fallback("claude_unavailable" if exc.retryable else "claude_refused")
        stand_in = await self._offline.grade_transcript(question, transcript, operation="peer_note")
        return stand_in, fallback
