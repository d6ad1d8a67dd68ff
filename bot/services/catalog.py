"""The questions a guild can be given: the bundled packs plus its own, minus what it disabled."""

from __future__ import annotations

from bot.content.loader import QuestionBank
from bot.content.schema import Question
from bot.domain.selection import Candidate
from bot.store import Store


class Catalog:
    def __init__(self, bank: QuestionBank, store: Store) -> None:
        self._bank = bank
        self._store = store
        self._bundled = [
            Candidate(q.question.id, q.question.round, q.question.difficulty)
            for q in bank.questions()
        ]

    @property
    def bank(self) -> QuestionBank:
        return self._bank

    async def candidates(self, guild_id: int) -> list[Candidate]:
        disabled = await self._store.questions.disabled(guild_id)
        custom = [
            Candidate(q.id, q.round, q.difficulty)
            for q in await self._store.questions.custom(guild_id)
        ]
        return [c for c in self._bundled + custom if c.question_id not in disabled]

    async def question(self, guild_id: int, question_id: str) -> Question | None:
        """Any question the guild can see, disabled ones included (old posts still resolve)."""
        bundled = self._bank.get(question_id)
        if bundled is not None:
            return bundled
        return await self._store.questions.custom_one(guild_id, question_id)
