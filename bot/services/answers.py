"""Answers to daily questions: saved first, then graded; failures are queued, never lost."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.content.schema import Clarification, Question
from bot.domain.clock import Clock
from bot.domain.code_tests import RunEvidence
from bot.domain.errors import UserError
from bot.domain.grading import Grade, GradingUnavailable
from bot.domain.models import StoredAnswer
from bot.domain.spend import FALLBACK_REASONS, Fallback
from bot.domain.text import is_blank
from bot.llm.base import Grader
from bot.llm.offline import OfflineGrader
from bot.llm.usage import usage_scope
from bot.services.catalog import Catalog
from bot.services.grading import (
    NOTHING_ADMITTED,
    Admission,
    FeedbackDelivery,
    GradingService,
)
from bot.services.points import PointsService
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store import Store
from bot.store.answers import GradeRecord

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 4000
# Retries back off from 2 minutes, doubling; after MAX_GRADE_ATTEMPTS failed attempts (about an
# hour of the API failing) the answer is graded offline instead of keeping the member waiting.
RETRY_DELAY = timedelta(minutes=2)
MAX_RETRY_DELAY = timedelta(hours=1)
MAX_GRADE_ATTEMPTS = 6
# The member waits on a deferred interaction whose token lasts 15 minutes. The grader's own worst
# case is under 4 minutes, but queueing for its concurrency slots is not bounded by it: past this
# budget the answer joins the retry queue and the member is told so while the token still works.
GRADING_BUDGET = timedelta(minutes=10)
# An answer still 'pending' this long after submission was interrupted (a crash or restart):
# past the interaction token's 15 minutes, and the grading budget, nobody is still grading it.
STALE_PENDING = timedelta(minutes=15)


@dataclass(frozen=True)
class AnswerOutcome:
    answer: StoredAnswer
    question: Question
    grade: Grade | None
    points: int | None
    resubmission: bool
    fallback: Fallback | None = None


@dataclass(frozen=True)
class Graded:
    grade: Grade
    fallback: Fallback | None  # why the offline grader stood in for the AI grader, if it did
    final: bool = True  # False: the offline stand-in shown while the AI grade is pending
    admission_id: int | None = None  # the AI call's, settled when the grade is stored


@dataclass(frozen=True)
class PendingFeedback:
    """A grade the member has not seen: graded after they stopped waiting, DM not delivered."""

    answer: StoredAnswer
    question: Question
    grade: Grade
    fallback: Fallback | None


@dataclass(frozen=True)
class HintOutcome:
    text: str
    number: int
    total: int
    penalty: int


class CodeTests(Protocol):
    """Runs a coding answer's code against its question's tests (the code run service)."""

    async def evidence_for(self, question_id: str, content: str) -> RunEvidence | None: ...


class AnswerService:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        grader: Grader,
        clock: Clock,
        publisher: FeedbackDelivery,
        grading: GradingService,
        points: PointsService,
        code_tests: CodeTests | None = None,
    ) -> None:
        self._store = store
        self._catalog = catalog
        self._grader = grader
        self._clock = clock
        self._publisher = publisher
        self._grading = grading
        self._points = points
        self._retrying = asyncio.Lock()
        # Answers whose AI grading is under way, with the task doing it, for `hand_back`.
        self._grading_now: dict[int, tuple[StoredAnswer, asyncio.Task[object]]] = {}
        self._closing = False  # set by `hand_back`: no grading starts after it
        self._awaiting: set[tuple[int, int]] = set()
        self._awaiting_loaded = False
        self._fallback = OfflineGrader()
        self._code_tests = code_tests

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
            raise UserError("That question does not exist in this server.", code="no-question")
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
        if is_blank(text):
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
        graded, points = await self._grade_and_award(answer, question, 0, delivered=True)
        return AnswerOutcome(
            answer,
            question,
            graded.grade if graded else None,
            points,
            previous is not None,
            graded.fallback if graded else None,
        )

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
        if self._closing:
            await self._store.answers.hand_back(answer, self._clock.now())
            return None
        admitted = NOTHING_ADMITTED  # the offline grader costs nothing and needs no admission
        if not self._grader.approximate:
            admitted = await self._grading.admit(answer.guild_id, answer.user_id)
        fallback = admitted.fallback
        if fallback is None:
            try:
                hints = question.hints[: await self._hints_used(answer)]
                clarified = answer.post_id is not None and (
                    await self._store.members.asked_clarifications(
                        answer.guild_id, answer.user_id, answer.post_id
                    )
                )
                with usage_scope(answer.guild_id, answer.user_id), self._in_flight(answer):
                    async with asyncio.timeout(GRADING_BUDGET.total_seconds()):
                        grade = await self._grader.grade(
                            question,
                            answer.content,
                            locale=answer.locale,
                            hints=hints,
                            tests=tests,
                            clarified=clarified,
                        )
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
            if failure.retryable and attempts + 1 < MAX_GRADE_ATTEMPTS:
                log.warning("grading answer %s delayed: %s", answer.answer_id, failure.reason)
                backoff = min(RETRY_DELAY * 2**attempts, MAX_RETRY_DELAY)
                wait = max(backoff, timedelta(seconds=failure.retry_after or 0))
                await self._store.answers.mark_delayed(
                    answer, self._clock.now() + wait, attempts=attempts + 1
                )
                if not waiting:
                    return None
                stand_in = await self._fallback.grade(
                    question, answer.content, locale=answer.locale, tests=tests
                )
                return Graded(stand_in, Fallback("claude_pending"), final=False)
            # A refusal or a rejected request will fail the same way again, and an API down for
            # hours should not keep a member waiting longer: labelled offline feedback instead.
            log.warning("grading answer %s fell back offline: %s", answer.answer_id, failure.reason)
            fallback = Fallback("claude_unavailable" if failure.retryable else "claude_refused")
        grade = await self._fallback.grade(
            question, answer.content, locale=answer.locale, tests=tests
        )
        return Graded(grade, fallback)

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
        self._closing = True
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

    async def _grade_and_award(
        self, answer: StoredAnswer, question: Question, attempts: int, *, delivered: bool
    ) -> tuple[Graded | None, int | None]:
        tests = None
        if self._code_tests is not None and question.round == "coding":
            # Before grading, so both graders see what the code does (and the feedback shows it).
            tests = await self._code_tests.evidence_for(question.id, answer.content)
        graded = await self._grade(answer, question, attempts, waiting=delivered, tests=tests)
        if graded is None:
            return None, None
        hints = await self._hints_used(answer)
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

    async def _hints_used(self, answer: StoredAnswer) -> int:
        if answer.post_id is None:
            return 0  # practice has no hints
        return await self._store.members.count_hints(
            answer.guild_id, answer.user_id, answer.post_id
        )

    async def submit_practice(self, answer: StoredAnswer, question: Question) -> AnswerOutcome:
        """A practice answer (saved by the practice service): graded and awarded like a daily
        one, on the same path."""
        graded, points = await self._grade_and_award(answer, question, 0, delivered=True)
        return AnswerOutcome(
            answer,
            question,
            graded.grade if graded else None,
            points,
            answer.revision > 1,
            graded.fallback if graded else None,
        )

    async def set_sharing(
        self, *, guild_id: int, user_id: int, display_name: str, share: bool
    ) -> None:
        """Whether the member's best answer may be quoted when a question is revealed."""
        await self._store.members.set_sharing(guild_id, user_id, display_name, share)

    async def use_hint(self, *, guild_id: int, user_id: int, post_id: int) -> HintOutcome:
        post_id, question, _ = await self._open_post(guild_id, post_id)
        used = await self._store.members.count_hints(guild_id, user_id, post_id)
        if used >= len(question.hints):
            raise UserError(
                "You have seen all {count} hints for this question.",
                code="no-more-hints",
                count=len(question.hints),
            )
        await self._store.members.use_hint(guild_id, user_id, post_id, used, self._clock.now())
        return HintOutcome(question.hints[used], used + 1, len(question.hints), 2)

    async def ask_clarifications(
        self, *, guild_id: int, user_id: int, post_id: int
    ) -> tuple[Clarification, ...]:
        """The question's clarifications, recorded as asked: the grade then knows."""
        post_id, question, _ = await self._open_post(guild_id, post_id)
        if not question.clarifications:
            raise UserError(
                "This question has no clarifications: state your assumptions in your answer.",
                code="no-clarifications",
            )
        await self._store.members.ask_clarifications(guild_id, user_id, post_id, self._clock.now())
        return tuple(question.clarifications)

    async def retry_delayed(self, shards: ShardPlan = EVERY_GUILD) -> int:
        """Grade queued answers (of the guilds on this process's shards) and DM their feedback;
        returns how many were graded.

        Feedback a DM cannot carry (closed DMs) stays undelivered: the member sees it the next
        time they use the bot (`claim_pending_feedback`).
        """
        if self._retrying.locked() or self._closing:
            return 0
        graded_count = 0
        async with self._retrying:
            now = self._clock.now()
            due = await self._store.answers.due_for_retry(
                now, stale_before=now - STALE_PENDING, shards=shards
            )
            for queued in due:
                answer = queued.answer
                question = await self._catalog.question(answer.guild_id, answer.question_id)
                if question is None:
                    # Removed from the bank: nothing to grade against; keep it out of the way.
                    await self._store.answers.mark_delayed(
                        answer, now + MAX_RETRY_DELAY, attempts=queued.attempts + 1
                    )
                    continue
                graded, _ = await self._grade_and_award(
                    answer, question, queued.attempts, delivered=False
                )
                if graded is None:
                    continue
                graded_count += 1
                if not await self._store.answers.claim_delivery(answer):
                    continue  # already shown (the member used the bot meanwhile) or replaced
                try:
                    sent = await self._publisher.deliver_feedback(
                        answer.user_id,
                        question,
                        graded.grade,
                        guild_id=answer.guild_id,
                        fallback=graded.fallback,
                        locale=answer.locale,
                    )
                except Exception:
                    log.warning("feedback DM for answer %s failed", answer.answer_id, exc_info=True)
                    sent = False
                if not sent:
                    await self.release_feedback(answer)
        return graded_count

    async def claim_pending_feedback(self, guild_id: int, user_id: int) -> list[PendingFeedback]:
        """Feedback the member has not seen yet, claimed so that only one reply shows it."""
        if (guild_id, user_id) not in await self._awaiting_feedback():
            return []
        self._awaiting.discard((guild_id, user_id))
        pending = []
        for answer in await self._store.answers.claim_undelivered(guild_id, user_id):
            stored = await self._store.answers.latest_grade(answer.answer_id)
            question = await self._catalog.question(guild_id, answer.question_id)
            if stored is None or question is None:
                continue  # nothing left that could be shown
            fallback = next((Fallback(r) for r in FALLBACK_REASONS if r == stored.fallback), None)
            pending.append(
                PendingFeedback(answer, question, Grade.from_dict(stored.detail), fallback)
            )
        return pending

    async def release_feedback(self, answer: StoredAnswer) -> None:
        """Showing the feedback failed: offer it again on the member's next use."""
        await self._store.answers.release_delivery(answer)
        (await self._awaiting_feedback()).add((answer.guild_id, answer.user_id))

    async def _awaiting_feedback(self) -> set[tuple[int, int]]:
        """Members with feedback nobody showed them, kept in memory: the check runs after every
        command, and a database round trip there slows the next interaction. Loaded once from
        the database (which survives restarts) and kept current by the only code that leaves
        feedback undelivered, below."""
        if self._awaiting_loaded is False:
            self._awaiting |= await self._store.answers.members_with_undelivered()
            self._awaiting_loaded = True
        return self._awaiting


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
