"""The questions a guild can be given: the bundled packs (and, later, its own custom ones)."""

from __future__ import annotations

from bot.content.loader import QuestionBank
from bot.content.schema import Question
from bot.domain.selection import Candidate


class Catalog:
    def __init__(self, bank: QuestionBank) -> None:
        self._bank = bank
        self._candidates = [
            Candidate(q.question.id, q.question.round, q.question.difficulty)
            for q in bank.questions()
        ]

    async def candidates(self, guild_id: int) -> list[Candidate]:
        return list(self._candidates)

    async def question(self, guild_id: int, question_id: str) -> Question | None:
        return self._bank.get(question_id)
