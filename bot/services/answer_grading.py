"""Grading a saved answer and awarding its points: the AI grader within the day's limits and a
time budget, the offline grader when it cannot (labelled), a retry queue with back-off, and a
shutdown that hands the gradings under way back to that queue."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.content.schema import Question
from bot.domain.clock import Clock
from bot.domain.code_tests import RunEvidence
from bot.domain.grading import MAX_AI_ATTEMPTS, Grade, GradingUnavailable, retry_wait
from bot.domain.models import StoredAnswer
from bot.domain.spend import Fallback
from bot.llm.base import Grader
from bot.llm.offline import OfflineGrader
from bot.llm.usage import usage_scope
from bot.services.grading import NOTHING_ADMITTED, Admission, GradingService
from bot.services.points import PointsService
from bot.store import Store
from bot.store.answers import GradeRecord

log = logging.getLogger(__name__)

# The member waits on a deferred interaction whose token lasts 15 minutes. The grader's own worst
# case is under 4 minutes, but queueing for its concurrency slots is not bounded by it: past this
# budget the answer joins the retry queue and the member is told so while the token still works.
GRADING_BUDGET = timedelta(minutes=10)


@dataclass(frozen=True)
class Graded:
    grade: Grade
    fallback: Fallback | None  # why the offline grader stood in for the AI grader, if it did
    final: bool = True  # False: the offline stand-in shown while the AI grade is pending
    admission_id: int | None = None  # the AI call's, settled when the grade is stored


class CodeTests(Protocol):
    """Runs a coding answer's code against its question's tests (the code run service)."""

    async def evidence_for(self, question_id: str, content: str) -> RunEvidence | None: ...


class AnswerGrading:
    def __init__(
        self,
        store: Store,
        grader: Grader,
        clock: Clock,
        grading: GradingService,
        points: PointsService,
        code_tests: CodeTests | None,
    ) -> None:
        self._store = store
        self.grader = grader
        self._clock = clock
        self._grading = grading
        self._points = points
        self._code_tests = code_tests
        self._fallback = OfflineGrader()
        # Answers whose AI grading is under way, with the task doing it, for `hand_back`.
        self._grading_now: dict[int, tuple[StoredAnswer, asyncio.Task[object]]] = {}
        self.closing = False  # set by `hand_back`: no grading starts after it

    async def grade_and_award(
        self, answer: StoredAnswer, question: Question, attempts: int, *, delivered: bool
    ) -> tuple[Graded | None, int | None]:
        """The grade (None when queued for a retry and nobody waits) and the points it earned
        (None when a newer revision arrived meanwhile)."""
        tests = None
        if self._code_tests is not None and question.round == "coding":
            # Before grading, so both graders see what the code does (and the feedback shows it).
            tests = await self._code_tests.evidence_for(question.id, answer.content)
        graded = await self._grade(answer, question, attempts, waiting=delivered, tests=tests)
        if graded is None:
            return None, None
        hints = await self.hints_used(answer)
        claim = await self._points.answer_claim(answer, question.round, graded.grade, hints)
        # The grade, its points and the settling of its admission are written together. The
        # stand-in and the final grade claim the same ledger row: the points follow the final
        # grade and count once.
        try:
            saved = await self._store.answers.save_grade(
                answer,
                _record(graded.grade, graded.fallback),
                self._clock.now(),
                delivered=delivered,
                final=graded.final,
                points=claim,
                admission_id=graded.admission_id,
                milestone_roles=self._points.gives_milestone_roles,
            )
        except BaseException:
            # The call answered and its usage is recorded: its reservation must not outlive it.
            await self._grading.settle(Admission(graded.admission_id, None), answered=True)
            raise
        if saved is None or saved.awarded is None:
            return graded, None  # a newer revision arrived meanwhile; it gets its own grade
        award = await self._points.after_award(claim, saved.awarded, saved.rewards)
        return graded, award.points

    async def _grade(
        self,
        answer: StoredAnswer,
        question: Question,
        attempts: int,
        *,
        waiting: bool,
        tests: RunEvidence | None,
    ) -> Graded | None:
        """The AI grader when the limits allow it, the offline grader when they do not (or when
        the AI grader refuses or stays unavailable). When the AI grade is queued for a retry, a
        member `waiting` gets the offline grade at once as a stand-in (not final); otherwise
        None."""
        if self.closing:
            await self._store.answers.hand_back(answer, self._clock.now())
            return None
        admitted = NOTHING_ADMITTED  # the offline grader costs nothing and needs no admission
        if not self.grader.approximate:
            admitted = await self._grading.admit(answer.guild_id, answer.user_id)
        fallback = admitted.fallback
        if fallback is None:
            try:
                grade = await self._ai_grade(answer, question, tests)
                return Graded(grade, None, admission_id=admitted.admission_id)
            except TimeoutError:
                failure = GradingUnavailable("grading_budget_exceeded", retryable=True)
            except GradingUnavailable as exc:
                failure = exc
            except BaseException:
                # Cancelled (a shutdown hands the answer back): the next start admits its retry
                # afresh, so this reservation must not count against the day as well.
                await self._grading.settle(admitted, answered=False)
                raise
            await self._grading.settle(admitted, answered=False)
            if failure.retryable and attempts + 1 < MAX_AI_ATTEMPTS:
                return await self._delay(answer, question, attempts, failure, waiting, tests)
            # A refusal or a rejected request will fail the same way again, and an API down for
            # hours should not keep a member waiting longer: labelled offline feedback instead.
            log.warning("grading answer %s fell back offline: %s", answer.answer_id, failure.reason)
            fallback = Fallback("claude_unavailable" if failure.retryable else "claude_refused")
        grade = await self._fallback.grade(
            question, answer.content, locale=answer.locale, tests=tests
        )
        return Graded(grade, fallback)

    async def _ai_grade(
        self, answer: StoredAnswer, question: Question, tests: RunEvidence | None
    ) -> Grade:
        """The configured grader, within GRADING_BUDGET, knowing the hints and clarifications
        the member used."""
        hints = question.hints[: await self.hints_used(answer)]
        clarified = answer.post_id is not None and (
            await self._store.members.asked_clarifications(
                answer.guild_id, answer.user_id, answer.post_id
            )
        )
        with usage_scope(answer.guild_id, answer.user_id), self._in_flight(answer):
            async with asyncio.timeout(GRADING_BUDGET.total_seconds()):
                return await self.grader.grade(
                    question,
                    answer.content,
                    locale=answer.locale,
                    hints=hints,
                    tests=tests,
                    clarified=clarified,
                )

    async def _delay(
        self,
        answer: StoredAnswer,
        question: Question,
        attempts: int,
        failure: GradingUnavailable,
        waiting: bool,
        tests: RunEvidence | None,
    ) -> Graded | None:
        """Queue the answer for a retry after a back-off; a member `waiting` gets the offline
        grade now as a stand-in."""
        log.warning("grading answer %s delayed: %s", answer.answer_id, failure.reason)
        wait = retry_wait(attempts, timedelta(seconds=failure.retry_after or 0))
        await self._store.answers.mark_delayed(
            answer, self._clock.now() + wait, attempts=attempts + 1
        )
        if not waiting:
            return None
        stand_in = await self._fallback.grade(
            question, answer.content, locale=answer.locale, tests=tests
        )
        return Graded(stand_in, Fallback("claude_pending"), final=False)

    @contextmanager
    def _in_flight(self, answer: StoredAnswer) -> Iterator[None]:
        task = asyncio.current_task()
        assert task is not None
        self._grading_now[answer.answer_id] = (answer, task)
        try:
            yield
        finally:
            self._grading_now.pop(answer.answer_id, None)

    async def hand_back(self, within: float) -> int:
        """Shutting down: stop the AI gradings under way (waiting up to `within` seconds for
        them to unwind) and queue their answers, still saved, for the next start's retry sweep.
        Returns how many were handed back."""
        self.closing = True
        under_way = list(self._grading_now.values())
        if not under_way:
            return 0
        for _, task in under_way:
            task.cancel()
        await asyncio.wait([task for _, task in under_way], timeout=max(within, 0.01))
        now = self._clock.now()
        for answer, _ in under_way:
            await self._store.answers.hand_back(answer, now)
        log.info("handed back %d answer(s) being graded", len(under_way))
        return len(under_way)

    async def hints_used(self, answer: StoredAnswer) -> int:
        if answer.post_id is None:
            return 0  # practice has no hints
        return await self._store.members.count_hints(
            answer.guild_id, answer.user_id, answer.post_id
        )


def _record(grade: Grade, fallback: Fallback | None) -> GradeRecord:
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
        fallback=fallback.reason if fallback else None,
    )
