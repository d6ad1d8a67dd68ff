"""Answers to daily questions: saved first, then graded; failures are queued, never lost."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.content.schema import Clarification, Question
from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.grading import MAX_RETRY_DELAY, Grade
from bot.domain.message import Command
from bot.domain.models import StoredAnswer
from bot.domain.spend import FALLBACK_REASONS, Fallback
from bot.domain.text import is_blank
from bot.llm.base import Grader
from bot.services.answer_grading import AnswerGrading, CodeTests
from bot.services.catalog import Catalog
from bot.services.grading import FeedbackDelivery, GradingService
from bot.services.points import PointsService
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store import Store

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 4000
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
        self._clock = clock
        self._publisher = publisher
        self._grading = AnswerGrading(store, grader, clock, grading, points, code_tests)
        self._retrying = asyncio.Lock()
        self._awaiting: set[tuple[int, int]] = set()
        self._awaiting_loaded = False

    @property
    def grader(self) -> Grader:
        return self._grading.grader

    async def hand_back(self, within: float) -> int:
        """Shutting down: the gradings under way go back to the retry queue (see
        `AnswerGrading.hand_back`)."""
        return await self._grading.hand_back(within)

    async def _open_post(self, guild_id: int, post_id: int) -> tuple[int, Question, str]:
        post = await self._store.posts.get(post_id)
        if post is None or post.guild_id != guild_id:
            raise UserError("That daily question does not exist in this server.", code="no-post")
        if post.revealed_at is not None:
            raise UserError(
                "Answers for that question closed when its reference answer was revealed. "
                "Use {command} for today's question.",
                code="closed",
                command=Command("/daily question"),
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
        graded, points = await self._grading.grade_and_award(answer, question, 0, delivered=True)
        return AnswerOutcome(
            answer,
            question,
            graded.grade if graded else None,
            points,
            previous is not None,
            graded.fallback if graded else None,
        )

    async def submit_practice(self, answer: StoredAnswer, question: Question) -> AnswerOutcome:
        """A practice answer (saved by the practice service): graded and awarded like a daily
        one, on the same path."""
        graded, points = await self._grading.grade_and_award(answer, question, 0, delivered=True)
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
        if self._retrying.locked() or self._grading.closing:
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
                graded, _ = await self._grading.grade_and_award(
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
