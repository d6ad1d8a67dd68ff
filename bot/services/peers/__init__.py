"""Peer mock sessions, one module per use case: the queue, matching, the session's halves and
no-shows, feedback, AI notes, and the sweep. `PeerService` wires them together."""

from __future__ import annotations

from bot.domain.clock import Clock
from bot.llm.base import Grader
from bot.services.catalog import Catalog
from bot.services.grading import GradingService
from bot.services.peers.context import PeerContext
from bot.services.peers.feedback import PeerFeedbackForms
from bot.services.peers.matching import PeerMatching
from bot.services.peers.notes import PeerNotes
from bot.services.peers.ports import PeerRooms
from bot.services.peers.queue import PeerQueue
from bot.services.peers.session import PeerSessions
from bot.services.peers.sweep import PeerSweep
from bot.store import Store


class PeerService:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        clock: Clock,
        rooms: PeerRooms,
        budget: GradingService,
        *,
        summary_grader: Grader | None = None,
    ) -> None:
        ctx = PeerContext(store, catalog, clock, rooms)
        self.notes = PeerNotes(ctx, budget, summary_grader)
        self.matching = PeerMatching(ctx, ai_notes=self.notes.enabled)
        self.queue = PeerQueue(ctx, self.matching)
        self.sessions = PeerSessions(ctx, self.queue, self.matching)
        self.feedback = PeerFeedbackForms(ctx)
        self.sweep = PeerSweep(ctx, self.sessions, self.notes)
