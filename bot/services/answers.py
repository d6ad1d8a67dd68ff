"""Answers to daily questions: saved first, then graded; failures are queued, never lost."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.content.schema import Question
from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.grading import Grade, GradingUnavailable
from bot.domain.models import StoredAnswer
from bot.domain.points import daily_answer_points
from bot.llm.base import Grader
from bot.llm.offline import OfflineGrader
from bot.services.catalog import Catalog
from bot.services.ports import Publisher
from bot.store import Store
from bot.store.answers import GradeRecord

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 4000
RETRY_DELAY = timedelta(minutes=2)
# An answer still 'pending' this long after submission was interrupted (a crash or restart).
STALE_PENDING = timedelta(minutes=5)


@dataclass(frozen=True)
class AnswerOutcome:
    answer: StoredAnswer
    question: Question
    grade: Grade | None
    points: int | None
    resubmission: bool


@dataclass(frozen=True)
class HintOutcome:
    text: str
    number: int
    total: int
    penalty: int


class AnswerService:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        grader: Grader,
        clock: Clock,
        publisher: Publisher,
    ) -> None:
        self._store = store
        self._catalog = catalog
        self._grader = grader
        self._clock = clock
        self._publisher = publisher
        self._retrying = asyncio.Lock()
        self._fallback = OfflineGrader()

    @property
    def grader(self) -> Grader:
        return self._grader

    async def _open_post(self, guild_id: int, post_id: int) -> tuple[int, Question, str]:
        post = await self._store.posts.get(post_id)
        if post is None or post.guild_id != guild_id:
            raise UserError("That daily question does not exist in this server.", code="no-post")
        if post.revealed_at is not None:
            raise UserError(
                "Answers for that question closed when its reference answer was revealed. "
                "Use `/daily question` for today's question.",
                code="closed",
            )
        question = await self._catalog.question(guild_id, post.question_id)
        if question is None:
            raise UserError("That question was removed from the bank.", code="no-question")
        return post.post_id, question, post.local_date

    async def question_for_post(self, guild_id: int, post_id: int) -> Question:
        return (await self._open_post(guild_id, post_id))[1]

    async def submit_daily(
        self,
        *,
        guild_id: int,
        user_id: int,
        display_name: str,
        post_id: int,
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
                f"Your answer is {len(text)} characters; the limit is {MAX_ANSWER_CHARS}.",
                code="too-long",
            )
        post_id, question, local_day = await self._open_post(guild_id, post_id)
        previous = await self._store.answers.for_post(guild_id, user_id, post_id)
        await self._store.members.remember(guild_id, user_id, display_name)
        answer = await self._store.answers.save_daily(
            guild_id=guild_id,
            user_id=user_id,
            post_id=post_id,
            question_id=question.id,
            content=text,
            locale=locale,
            local_date=local_day,
            now=self._clock.now(),
        )
        grade, points = await self._grade_and_award(answer, question)
        return AnswerOutcome(answer, question, grade, points, previous is not None)

    async def _grade_and_award(
        self, answer: StoredAnswer, question: Question
    ) -> tuple[Grade | None, int | None]:
        try:
            grade = await self._grader.grade(question, answer.content, locale=answer.locale)
        except GradingUnavailable as exc:
            if exc.retryable:
                log.warning("grading answer %s delayed: %s", answer.answer_id, exc.reason)
                wait = max(RETRY_DELAY, timedelta(seconds=exc.retry_after or 0))
                await self._store.answers.mark_delayed(answer, self._clock.now() + wait)
                return None, None
            # A refusal or a rejected request will fail the same way again: the member gets the
            # offline grader's (labelled approximate) feedback instead of waiting forever.
            log.warning("grading answer %s fell back offline: %s", answer.answer_id, exc.reason)
            grade = await self._fallback.grade(question, answer.content, locale=answer.locale)
        now = self._clock.now()
        if not await self._store.answers.save_grade(answer, _record(grade), now):
            return grade, None  # a newer revision arrived meanwhile; it gets its own grade
        points = None
        if answer.post_id is not None:
            hints = await self._store.members.count_hints(
                answer.guild_id, answer.user_id, answer.post_id
            )
            points = daily_answer_points(grade.overall, grade.max, hints)
            await self._store.points.award(
                guild_id=answer.guild_id,
                user_id=answer.user_id,
                kind="daily",
                ref=str(answer.post_id),
                round_name=question.round,
                amount=points,
                local_date=answer.local_date,
                now=now,
            )
        return grade, points

    async def use_hint(self, *, guild_id: int, user_id: int, post_id: int) -> HintOutcome:
        post_id, question, _ = await self._open_post(guild_id, post_id)
        used = await self._store.members.count_hints(guild_id, user_id, post_id)
        if used >= len(question.hints):
            raise UserError(
                f"You have seen all {len(question.hints)} hints for this question.",
                code="no-more-hints",
            )
        await self._store.members.use_hint(guild_id, user_id, post_id, used, self._clock.now())
        return HintOutcome(question.hints[used], used + 1, len(question.hints), 2)

    async def retry_delayed(self) -> int:
        """Grade queued answers and deliver their feedback; returns how many were graded."""
        if self._retrying.locked():
            return 0
        graded = 0
        async with self._retrying:
            now = self._clock.now()
            due = await self._store.answers.due_for_retry(now, stale_before=now - STALE_PENDING)
            for answer in due:
                question = await self._catalog.question(answer.guild_id, answer.question_id)
                if question is None:
                    continue
                grade, _ = await self._grade_and_award(answer, question)
                if grade is None:
                    continue
                graded += 1
                if await self._publisher.deliver_feedback(answer.user_id, question, grade):
                    await self._store.answers.mark_delivered(answer.answer_id)
        return graded

    async def mark_delivered(self, answer_id: int) -> None:
        await self._store.answers.mark_delivered(answer_id)


def _record(grade: Grade) -> GradeRecord:
    usage = grade.usage
    return GradeRecord(
        overall=grade.overall,
        max_score=grade.max,
        grader=grade.grader,
        model=grade.model,
        prompt_version=grade.prompt_version,
        detail_json=json.dumps(grade.to_dict()),
        input_tokens=usage.input_tokens if usage else 0,
        output_tokens=usage.output_tokens if usage else 0,
        cache_read_tokens=usage.cache_read_tokens if usage else 0,
        cache_write_tokens=usage.cache_write_tokens if usage else 0,
    )
