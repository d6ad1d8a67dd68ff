"""What every peer use case shares: the store, the catalog, the clock, the rooms port, the
per-server locks, and finding the session behind a button."""

from __future__ import annotations

import asyncio

from bot.content.schema import Question
from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.peer_session import PeerSession, require_member
from bot.services.catalog import Catalog
from bot.services.peers.ports import PeerRooms
from bot.store import Store


class PeerContext:
    def __init__(self, store: Store, catalog: Catalog, clock: Clock, rooms: PeerRooms) -> None:
        self.store = store
        self.peers = store.peers
        self.catalog = catalog
        self.clock = clock
        self.rooms = rooms
        # Matching reads the queue and then claims two entries: one server at a time.
        self._guild_locks: dict[int, asyncio.Lock] = {}

    def lock(self, guild_id: int) -> asyncio.Lock:
        return self._guild_locks.setdefault(guild_id, asyncio.Lock())

    async def member_session(self, session_id: int, user_id: int, guild_id: int) -> PeerSession:
        """The session behind a button, refused unless it belongs to the server the button was
        pressed in (ids come from custom_ids, which a modified client can forge) and to the
        member; a refusal changes nothing. Pressing a button shows the member turned up."""
        sessions = self.peers.sessions
        session = await sessions.session(session_id)
        if session is None or session.guild_id != guild_id:
            raise UserError("That peer session does not exist in this server.", code="no-session")
        require_member(session, user_id)
        if session.is_open and not session.seen(user_id):
            await sessions.mark_seen(session_id, user_id, self.clock.now())
            session = await sessions.session(session_id)
            assert session is not None
        return session

    async def question(self, session: PeerSession, half: int) -> Question:
        """The question of the session's `half` (1 or 2)."""
        question = await self.catalog.question(session.guild_id, session.question_ids[half - 1])
        if question is None:
            raise UserError("That question does not exist in this server.", code="no-question")
        return question
