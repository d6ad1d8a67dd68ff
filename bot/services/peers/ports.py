"""What the peer service needs from Discord (implemented in bot/ui/peer_rooms.py)."""

from __future__ import annotations

from typing import Protocol

from bot.content.schema import Question
from bot.domain.grading import Grade
from bot.domain.peer_feedback import PeerFeedback
from bot.domain.peer_matching import PeerSettings, QueueEntry
from bot.domain.peer_session import Nudge, PeerSession
from bot.domain.spend import Fallback
from bot.llm.base import Transcript
from bot.services.peers.results import HalfOutcome, RoomProblem


class PeerRooms(Protocol):
    def room_problem(self, channel_id: int) -> RoomProblem | None:
        """Why a private session thread cannot be opened in that channel, or None."""
        ...

    async def open_room(
        self, session: PeerSession, question: Question, settings: PeerSettings, *, ai_notes: bool
    ) -> int:
        """Open the private thread, add both members, post the start (with the notice and a way
        to say no when `ai_notes`: the thread's text would go to Anthropic); returns the thread
        id. Raises RoomError."""
        ...

    async def post_nudge(self, session: PeerSession, nudge: Nudge, question: Question) -> None: ...

    async def post_auto_closed(self, outcome: HalfOutcome) -> None: ...

    async def deliver_feedback(self, feedback: PeerFeedback, question: Question) -> bool:
        """Send it privately to the receiver; False when that is impossible (closed DMs)."""
        ...

    async def notify_expired(self, entry: QueueEntry) -> None: ...

    async def transcripts(self, session: PeerSession) -> dict[int, Transcript]:
        """What was typed in the thread, per half, as (speaker, text) turns."""
        ...

    async def deliver_summary(
        self,
        guild_id: int,
        user_id: int,
        question: Question,
        grade: Grade,
        fallback: Fallback | None = None,
    ) -> bool:
        """The AI notes (or, with `fallback`, the offline stand-in and why) by DM."""
        ...
