"""The peer sweep, every minute: expire old queue entries, undo half-opened matches, send due
reminders, close abandoned sessions, retry the AI notes that wait."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot.domain.peer_session import OPENING_TIMEOUT, PeerSession, abandoned, due_nudges
from bot.services.peers.context import PeerContext
from bot.services.peers.notes import PeerNotes
from bot.services.peers.results import SweepReport
from bot.services.peers.session import PeerSessions
from bot.sharding import EVERY_GUILD, ShardPlan

log = logging.getLogger(__name__)


class PeerSweep:
    def __init__(self, ctx: PeerContext, sessions: PeerSessions, notes: PeerNotes) -> None:
        self._ctx = ctx
        self._sessions = sessions
        self._notes = notes
        self._sweeping = asyncio.Lock()

    async def run(self, shards: ShardPlan = EVERY_GUILD) -> SweepReport:
        """One sweep of the guilds on this process's shards; running it twice sends nothing
        twice, and a sweep still running makes the next one a no-op."""
        if self._sweeping.locked():
            return SweepReport()
        async with self._sweeping:
            peers = self._ctx.peers
            now = self._ctx.clock.now()
            expired = await peers.queue.expire(now, shards)
            for entry in expired:
                await self._ctx.rooms.notify_expired(entry)
            undone = 0
            for session in await peers.sessions.sessions_with_status("opening", shards):
                if now - session.created_at >= OPENING_TIMEOUT:
                    await peers.matching.undo(session.session_id, now)
                    undone += 1
            nudged = closed = 0
            for session in await peers.sessions.sessions_with_status("active", shards):
                try:
                    sent, was_closed = await self._tend(session, now)
                except Exception:
                    log.exception("peer sweep failed for session %s", session.session_id)
                    continue
                nudged += sent
                closed += was_closed
            notes = await self._notes.retry_due(shards)
        return SweepReport(len(expired), nudged, closed, undone, notes)

    async def _tend(self, session: PeerSession, now: datetime) -> tuple[int, bool]:
        """Close the session when abandoned, else send its due reminders: (sent, closed)."""
        ctx = self._ctx
        settings = await ctx.peers.queue.settings(session.guild_id)
        question = await ctx.question(session, session.half)
        time_box = timedelta(minutes=question.time_box_minutes)
        if abandoned(session, time_box, now):
            finished = await self._sessions.finish(session)
            if finished is not None:
                await ctx.rooms.post_auto_closed(finished)
                await self._notes.summarize(finished.session)
            return 0, finished is not None
        sent = 0
        due = due_nudges(
            session,
            time_box=time_box,
            no_show_after=settings.no_show_after,
            sent=await ctx.peers.nudges.sent_nudges(session.session_id),
            now=now,
        )
        for nudge, timely in due:
            if await ctx.peers.nudges.claim_nudge(session.session_id, nudge.key, now) and timely:
                await ctx.rooms.post_nudge(session, nudge, question)
                sent += 1
        return sent, False
