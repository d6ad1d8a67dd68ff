"""What the mock service needs from Discord: a private room per round. The Discord adapter
(`bot.ui.mock_room`) implements it; failures raise `bot.services.ports.PublishError`."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from bot.content.schema import Question, Round
from bot.domain.grading import Grade
from bot.domain.mock import MockRound
from bot.domain.mock_loop import LoopStep, Packet


@dataclass(frozen=True)
class LoopPlace:
    """Where a round sits in an onsite loop."""

    position: int
    total: int
    step: LoopStep


@dataclass(frozen=True)
class InterviewerLine:
    text: str
    answers: int
    max_answers: int
    minutes_left: int
    # The AI interviewer failed: this line came from the question's own follow-ups.
    fallback: bool

    @property
    def is_last(self) -> bool:
        """The round has had all its answers: no Respond button, a pointer to the scorecard."""
        return self.answers >= self.max_answers


@dataclass(frozen=True)
class Scorecard:
    mock: MockRound
    question: Question
    grade: Grade
    points: int | None
    answers: int
    ended_by_name: str | None = None  # an admin who ended someone else's round
    follows: bool = False  # an offline stand-in: the AI scorecard follows when it can be had


class MockRoom(Protocol):
    async def open_thread(
        self, channel_id: int, user_id: int, display_name: str, round_name: Round
    ) -> int:
        """Open a private thread in the channel and add the member; returns its id."""
        ...

    async def post_opening(
        self, mock: MockRound, question: Question, loop: LoopPlace | None
    ) -> None: ...

    async def post_echo(self, mock: MockRound, display_name: str, text: str) -> None:
        """Show a turn that arrived through a form, so the thread reads as the conversation."""
        ...

    async def post_interviewer(
        self, mock: MockRound, line: InterviewerLine, *, reply_to: int | None
    ) -> None: ...

    async def post_notice(self, mock: MockRound, text: str, *, respond: bool) -> None: ...

    async def post_scorecard(self, card: Scorecard) -> None: ...

    async def post_packet(self, mock: MockRound, packet: Packet) -> None: ...

    async def archive(self, mock: MockRound) -> None: ...

    def typing(self, mock: MockRound) -> AbstractAsyncContextManager[None]:
        """Shows the interviewer typing while it thinks; never raises."""
        ...
