"""`/practice`: a question aimed at the member's weakest rubric themes, answered privately and
graded like a daily one."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.schema import Question
from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.progress import PracticeCandidate, ThemeTrend, pick_practice, theme_trends
from bot.domain.schedule import local_date
from bot.i18n.messages import N_
from bot.services.answers import MAX_ANSWER_CHARS, AnswerOutcome, AnswerService
from bot.services.catalog import Catalog
from bot.services.leaderboard import graded_answers
from bot.store import Store


@dataclass(frozen=True)
class PracticeOffer:
    question: Question
    aims_at: tuple[str, ...]  # the weak themes its rubric exercises (empty: no grades yet)
    weakest: tuple[ThemeTrend, ...]


class PracticeService:
    def __init__(
        self, store: Store, catalog: Catalog, clock: Clock, answers: AnswerService
    ) -> None:
        self._store = store
        self._catalog = catalog
        self._clock = clock
        self._answers = answers

    async def offer(self, guild_id: int, user_id: int, round_name: str | None) -> PracticeOffer:
        """A question the member has not answered, chosen for their weakest themes; the same
        one all day until it is answered."""
        trends = theme_trends(await graded_answers(self._store, self._catalog, guild_id, user_id))
        answered = await self._store.progress.answered_questions(guild_id, user_id)
        # Today's open daily question is for the daily post, not for practice.
        answered |= await self._store.progress.open_daily_questions(guild_id)
        candidates = []
        for candidate in await self._catalog.candidates(guild_id):
            if candidate.question_id in answered:
                continue
            question = await self._catalog.question(guild_id, candidate.question_id)
            if question is not None:
                candidates.append(
                    PracticeCandidate(
                        question.id,
                        question.round,
                        question.difficulty,
                        tuple((c.name, c.weight) for c in question.rubric),
                    )
                )
        today = local_date(self._clock.now(), await self._store.guilds.zone(guild_id))
        pick = pick_practice(
            candidates,
            trends,
            answered,
            round_name=round_name,
            seed=f"{guild_id}:{user_id}:{today.isoformat()}",
        )
        if pick is None:
            raise UserError(_ALL_ANSWERED.get(round_name, _ALL_ANSWERED[None]), code="no-practice")
        question = await self._catalog.question(guild_id, pick.question_id)
        assert question is not None
        return PracticeOffer(question, pick.aims_at, tuple(trends[:3]))

    async def question(self, guild_id: int, question_id: str) -> Question:
        question = await self._catalog.question(guild_id, question_id)
        if question is None:
            raise UserError("That question does not exist in this server.", code="no-question")
        return question

    async def submit(
        self,
        *,
        guild_id: int,
        user_id: int,
        display_name: str,
        question_id: str,
        content: str,
        locale: str | None,
    ) -> AnswerOutcome:
        text = content.strip()
        if not text:
            raise UserError(
                "Your answer is empty: write it in the box and submit again.", code="empty"
            )
        if len(text) > MAX_ANSWER_CHARS:
            raise UserError(
                "Your answer is {length} characters; the limit is {limit}.",
                code="too-long",
                length=len(text),
                limit=MAX_ANSWER_CHARS,
            )
        question = await self.question(guild_id, question_id)
        now = self._clock.now()
        await self._store.members.remember(guild_id, user_id, display_name)
        answer_id = await self._store.progress.save_practice(
            guild_id=guild_id,
            user_id=user_id,
            question_id=question.id,
            content=text,
            locale=locale,
            local_date=local_date(now, await self._store.guilds.zone(guild_id)).isoformat(),
            now=now,
        )
        answer = await self._store.answers.get(answer_id)
        assert answer is not None
        return await self._answers.submit_practice(answer, question)


# One sentence per round: a round's name changes form inside a sentence in many languages.
_ALL_ANSWERED: dict[str | None, str] = {
    "coding": N_("You have answered every question for the coding round: nothing new to practise."),
    "system_design": N_(
        "You have answered every question for the system design round: nothing new to practise."
    ),
    "ml_design": N_(
        "You have answered every question for the ml design round: nothing new to practise."
    ),
    "behavioral": N_(
        "You have answered every question for the behavioral round: nothing new to practise."
    ),
    "recruiter_screen": N_(
        "You have answered every question for the recruiter screen round: nothing new to practise."
    ),
    None: N_("You have answered every question for any round: nothing new to practise."),
}
