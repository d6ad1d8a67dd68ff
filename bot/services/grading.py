"""Cost controls for the AI grader: usage recorded per call, daily limits, the spend report."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.content.schema import Question
from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.grading import Grade, Usage
from bot.domain.spend import (
    COUNTED_AS_ANSWERS,
    DEFAULT_GUILD_DAILY_TOKENS,
    DEFAULT_MEMBER_DAILY_ANSWERS,
    MAX_GUILD_DAILY_TOKENS,
    MAX_MEMBER_DAILY_ANSWERS,
    RESERVED_TOKENS,
    DayWindow,
    Fallback,
    GradingLimits,
    admission,
    cost_usd,
    day_window,
    total_tokens,
)
from bot.i18n.messages import N_
from bot.llm.usage import LlmCall, Operation
from bot.store import Store
from bot.store.usage import StoredLimits

log = logging.getLogger(__name__)

DEFAULT_LIMITS = GradingLimits(DEFAULT_MEMBER_DAILY_ANSWERS, DEFAULT_GUILD_DAILY_TOKENS)
TOP_MEMBERS = 5


class FeedbackDelivery(Protocol):
    """Sends feedback that was not ready while the member waited (a DM)."""

    async def deliver_feedback(
        self,
        user_id: int,
        question: Question,
        grade: Grade,
        *,
        guild_id: int | None = None,
        fallback: Fallback | None = None,
        locale: str | None = None,
    ) -> bool: ...


@dataclass(frozen=True)
class SpendLine:
    """Usage of one model for one kind of call over a period."""

    model: str
    operation: str
    calls: int
    usage: Usage
    cost_usd: float | None


@dataclass(frozen=True)
class SpendPeriod:
    label: str
    lines: tuple[SpendLine, ...]

    @property
    def calls(self) -> int:
        return sum(line.calls for line in self.lines)

    @property
    def tokens(self) -> int:
        return sum(total_tokens(line.usage) for line in self.lines)

    @property
    def cost_usd(self) -> float:
        """Dollars for the models with a known price (see `unpriced_models`)."""
        return sum(line.cost_usd or 0.0 for line in self.lines)

    @property
    def unpriced_models(self) -> tuple[str, ...]:
        return tuple(sorted({line.model for line in self.lines if line.cost_usd is None}))


@dataclass(frozen=True)
class SpendReport:
    limits: GradingLimits
    today: DayWindow
    timezone: str
    periods: tuple[SpendPeriod, ...]  # today, the last 7 days, the last 30 days
    top_members_today: tuple[tuple[int, int], ...]

    @property
    def tokens_today(self) -> int:
        return self.periods[0].tokens


@dataclass(frozen=True)
class Admission:
    admission_id: int | None  # None: refused
    fallback: Fallback | None  # why it was refused

    @property
    def admitted(self) -> bool:
        return self.fallback is None


NOTHING_ADMITTED = Admission(None, None)


class GradingService:
    """Records usage (it is the grader's usage listener) and applies each guild's limits."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        # Tasks inside `stoppable` (mock turns and scorecards, peer notes), for `stop_calls`.
        self._calls: set[asyncio.Task[object]] = set()

    async def record(self, call: LlmCall) -> None:
        await self._store.usage.record(
            guild_id=call.scope.guild_id,
            user_id=call.scope.user_id,
            operation=call.operation,
            model=call.model,
            prompt_version=call.prompt_version,
            stop_reason=call.stop_reason,
            usage=call.usage,
            now=self._clock.now(),
        )

    async def limits(self, guild_id: int) -> GradingLimits:
        stored = await self._store.usage.limits(guild_id)
        return GradingLimits(
            member_daily_answers=(
                DEFAULT_LIMITS.member_daily_answers
                if stored.member_daily_answers is None
                else stored.member_daily_answers
            ),
            guild_daily_tokens=(
                DEFAULT_LIMITS.guild_daily_tokens
                if stored.guild_daily_tokens is None
                else stored.guild_daily_tokens
            ),
            customised=stored != StoredLimits(None, None),
        )

    async def set_limits(
        self,
        guild_id: int,
        *,
        member_daily_answers: int | None,
        guild_daily_tokens: int | None,
        updated_by: int,
    ) -> GradingLimits:
        if member_daily_answers is not None and not (
            0 <= member_daily_answers <= MAX_MEMBER_DAILY_ANSWERS
        ):
            raise UserError(
                "The member limit must be between 0 and {limit} answers a day. Nothing was "
                "changed.",
                code="bad-limit",
                limit=MAX_MEMBER_DAILY_ANSWERS,
            )
        if guild_daily_tokens is not None and not (
            0 <= guild_daily_tokens <= MAX_GUILD_DAILY_TOKENS
        ):
            raise UserError(
                "The server budget must be between 0 and {limit} tokens a day. Nothing was "
                "changed.",
                code="bad-limit",
                limit=f"{MAX_GUILD_DAILY_TOKENS:,}",
            )
        if member_daily_answers is not None or guild_daily_tokens is not None:
            await self._store.usage.set_limits(
                guild_id,
                member_daily_answers=member_daily_answers,
                guild_daily_tokens=guild_daily_tokens,
                updated_by=updated_by,
                now=self._clock.now(),
            )
        return await self.limits(guild_id)

    async def admit(
        self, guild_id: int, user_id: int | None, operation: Operation = "grade"
    ) -> Admission:
        """Whether the AI may be called now for this member's work, decided and recorded in one
        step (parallel calls cannot both take the last of a limit). Settle or release it."""
        limits = await self.limits(guild_id)
        zone = await self._store.guilds.zone(guild_id)
        today = day_window(self._clock.now(), zone)

        def decide(member_answers: int, guild_tokens: int) -> Fallback | None:
            return admission(
                limits,
                member_graded_today=member_answers,
                guild_tokens_today=guild_tokens,
                resets_at=today.end,
            )

        admission_id, refused = await self._store.admissions.admit(
            guild_id=guild_id,
            user_id=user_id,
            operation=operation,
            reserve_tokens=RESERVED_TOKENS[operation],
            counts_as_answer=operation in COUNTED_AS_ANSWERS,
            day=(today.start, today.end),
            decide=decide,
            now=self._clock.now(),
        )
        return Admission(admission_id, refused)

    @asynccontextmanager
    async def admitted_call(
        self, guild_id: int, user_id: int | None, operation: Operation, *, costs: bool = True
    ) -> AsyncIterator[Admission]:
        """Admit a call (the block makes it only when `.admitted`); settled when the block
        ends, released when it raises. A call that `costs` nothing (the offline grader) is
        always admitted and counts against nothing."""
        admitted = await self.admit(guild_id, user_id, operation) if costs else NOTHING_ADMITTED
        try:
            with self.stoppable():
                yield admitted
        except BaseException:
            await self.settle(admitted, answered=False)
            raise
        await self.settle(admitted, answered=True)

    @contextmanager
    def stoppable(self) -> Iterator[None]:
        """An AI call under way that `stop_calls` may cancel (one whose admission is settled
        by its caller, as a scorecard's is with the scorecard)."""
        task = asyncio.current_task()
        assert task is not None
        self._calls.add(task)
        try:
            yield
        finally:
            self._calls.discard(task)

    async def stop_calls(self, within: float) -> int:
        """Shutting down: cancel the AI calls under way rather than wait minutes for them; the
        rounds and sessions they served are tended by the next start's sweeps. Waits up to
        `within` seconds for them to unwind (their admissions are released as they do)."""
        under_way = set(self._calls)
        for task in under_way:
            task.cancel()
        if under_way:
            await asyncio.wait(under_way, timeout=max(within, 0.01))
            log.info("stopped %d AI call(s) under way", len(under_way))
        return len(under_way)

    async def settle(self, admitted: Admission, *, answered: bool) -> None:
        """After the call: its usage is recorded (the listener ran); a call that gave nothing
        usable is released and counts against no limit."""
        if admitted.admission_id is None:
            return
        if answered:
            await self._store.admissions.settle(admitted.admission_id)
        else:
            await self._store.admissions.release(admitted.admission_id)

    async def report(self, guild_id: int) -> SpendReport:
        zone = await self._store.guilds.zone(guild_id)
        today = day_window(self._clock.now(), zone)
        periods = []
        # The labels are msgids: the web companion shows them in the reader's language.
        for label, days in ((N_("Today"), 1), (N_("Last 7 days"), 7), (N_("Last 30 days"), 30)):
            start = today.start if days == 1 else today.end - timedelta(days=days)
            periods.append(SpendPeriod(label, await self._lines(guild_id, start, today.end)))
        top = await self._store.usage.top_members(guild_id, today.start, today.end, TOP_MEMBERS)
        return SpendReport(
            limits=await self.limits(guild_id),
            today=today,
            timezone=zone.key,
            periods=tuple(periods),
            top_members_today=tuple(top),
        )

    async def _lines(self, guild_id: int, start: datetime, end: datetime) -> tuple[SpendLine, ...]:
        rows = await self._store.usage.summary(guild_id, start, end)
        return tuple(
            SpendLine(
                row.model, row.operation, row.calls, row.usage, cost_usd(row.usage, row.model)
            )
            for row in rows
        )
