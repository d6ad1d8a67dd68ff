"""What the mock service needs from Discord: a private room per round, and the data it shows
there. The Discord adapter (`bot.ui.mock_room`) implements it and words every notice; failures
raise `bot.services.ports.PublishError`."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from bot.content.schema import Question, Round
from bot.domain.code_tests import RunEvidence
from bot.domain.grading import Grade
from bot.domain.mock import EndReason, MockRound, Nudge
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
class PartScore:
    """One question of a phone screen and its grade; None when it was not answered."""

    question: Question
    grade: Grade | None


@dataclass(frozen=True)
class Scorecard:
    mock: MockRound
    question: Question
    grade: Grade
    points: int | None
    answers: int
    ended_by_name: str | None = None  # an admin who ended someone else's round
    follows: bool = False  # an offline stand-in: the AI scorecard follows when it can be had
    # A phone screen's questions, one rubric section each (`grade` is their combination).
    parts: tuple[PartScore, ...] = ()


@dataclass(frozen=True)
class RoundClosed:
    """The round closed by itself or with /mock end; `scored` says whether a scorecard follows
    (it does when the round had answers)."""

    reason: EndReason
    scored: bool


@dataclass(frozen=True)
class CodeRun:
    """The candidate's code ran (or could not) against the question's tests."""

    tests: RunEvidence


@dataclass(frozen=True)
class LoopProgress:
    """A loop round's scorecard is in: how far the loop is, and the next round's label."""

    done: int
    total: int
    next_label: str | None


# What a round's thread is told besides the conversation; a Nudge comes with a Respond button.
Notice = Nudge | RoundClosed | CodeRun | LoopProgress


class MockRoom(Protocol):
    async def open_thread(
        self,
        channel_id: int,
        user_id: int,
        display_name: str,
        round_name: Round,
        locale: str | None = None,
    ) -> int:
        """Open a private thread in the channel and add the member; returns its id. `locale` is
        the round's language (its thread's name is in it)."""
        ...

    async def post_opening(
        self, mock: MockRound, question: Question, loop: LoopPlace | None
    ) -> None: ...

    async def post_second_question(self, mock: MockRound, question: Question) -> None:
        """A phone screen's second question, asked at the halfway mark."""
        ...

    async def post_echo(self, mock: MockRound, display_name: str, text: str) -> None:
        """Show a turn that arrived through a form, so the thread reads as the conversation."""
        ...

    async def post_interviewer(
        self, mock: MockRound, line: InterviewerLine, *, reply_to: int | None
    ) -> None: ...

    async def post_notice(self, mock: MockRound, notice: Notice) -> None: ...

    async def post_scorecard(self, card: Scorecard) -> None: ...

    async def post_packet(self, mock: MockRound, packet: Packet) -> None: ...

    async def archive(self, mock: MockRound) -> None: ...

    def typing(self, mock: MockRound) -> AbstractAsyncContextManager[None]:
        """Shows the interviewer typing while it thinks; never raises."""
        ...
