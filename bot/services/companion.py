"""What the web companion shows a logged-in member about themselves in one server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import UserError
from bot.domain.grading import Grade
from bot.domain.mock import MockRound, MockTurn
from bot.services.catalog import Catalog
from bot.services.leaderboard import LeaderboardService, RankProfile
from bot.store import Store

RECENT_ROUNDS = 50


@dataclass(frozen=True)
class AnswerView:
    question_id: str
    title: str
    round: str
    source: str
    submitted_at: datetime
    grade: Grade


@dataclass(frozen=True)
class Progress:
    profile: RankProfile
    answers: tuple[AnswerView, ...]  # newest first
    rounds: tuple[MockRound, ...]  # newest first


@dataclass(frozen=True)
class Transcript:
    mock: MockRound
    title: str
    turns: tuple[MockTurn, ...]


class CompanionService:
    def __init__(self, store: Store, catalog: Catalog, leaderboard: LeaderboardService) -> None:
        self._store = store
        self._catalog = catalog
        self._leaderboard = leaderboard

    async def progress(self, guild_id: int, user_id: int, name: str) -> Progress:
        profile = await self._leaderboard.profile(guild_id, user_id, user_id, name)
        answers = []
        for row in await self._store.progress.graded_history(guild_id, user_id):
            question = await self._catalog.question(guild_id, row.question_id)
            answers.append(
                AnswerView(
                    question_id=row.question_id,
                    title=question.title if question else row.question_id,
                    round=row.round or (question.round if question else ""),
                    source=row.source,
                    submitted_at=row.submitted_at,
                    grade=Grade.from_dict(row.detail),
                )
            )
        answers.sort(key=lambda a: a.submitted_at, reverse=True)
        rounds = await self._store.mocks.recent(guild_id, user_id, RECENT_ROUNDS)
        return Progress(profile, tuple(answers), tuple(rounds))

    async def transcript(self, guild_id: int, user_id: int, round_id: int) -> Transcript:
        """One of the member's own mock rounds in this server; anything else does not exist."""
        mock = await self._store.mocks.get(round_id)
        if mock is None or mock.guild_id != guild_id or mock.user_id != user_id:
            raise UserError("No such mock round of yours in this server.", code="no-round")
        question = await self._catalog.question(guild_id, mock.question_id)
        turns = await self._store.mocks.turns(round_id)
        return Transcript(mock, question.title if question else mock.question_id, tuple(turns))
