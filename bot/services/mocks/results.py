"""What the mock use cases return to the cogs, for the ui to render."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.schema import Question
from bot.domain.mock import MockRound, MockSettings
from bot.domain.mock_loop import LoopTrack, MockLoop
from bot.services.mocks.ports import LoopPlace, Scorecard


@dataclass(frozen=True)
class StartOutcome:
    mock: MockRound
    question: Question
    loop: LoopPlace | None
    rounds_today: int
    daily_limit: int
    switched_track: LoopTrack | None = None  # `/mock loop track:` moved the loop to this track


@dataclass(frozen=True)
class EndOutcome:
    mock: MockRound
    scorecard: Scorecard | None
    delayed: bool  # closed with answers, but the scorecard comes later


@dataclass(frozen=True)
class MockStatus:
    settings: MockSettings
    rounds_today: int
    current: MockRound | None
    current_answers: int
    current_minutes_left: int
    loop: MockLoop | None
    loop_rounds: tuple[MockRound, ...]
    recent: tuple[MockRound, ...]
    titles: dict[str, str]


@dataclass
class SweepReport:
    nudged: int = 0
    closed: int = 0
    scored: int = 0
    released: int = 0
    second_questions: int = 0  # phone screens moved on to their second question
