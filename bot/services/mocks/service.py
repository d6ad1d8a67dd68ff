"""`MockService`: the one object the cogs and ui call for mock rounds. Each method hands over to
its use case's module (start, loop, turn, close, score, sweep, status) with the collaborators
they share."""

from __future__ import annotations

import asyncio

from bot.content.schema import Difficulty, Question, Round
from bot.domain.clock import Clock
from bot.domain.mock import CandidateSource, MockRound, MockSettings
from bot.domain.mock_loop import LoopTrack
from bot.llm.base import Grader
from bot.services.catalog import Catalog
from bot.services.grading import GradingService
from bot.services.mocks import close, loop, start, status, sweep, turn
from bot.services.mocks.code_runs import MockCodeRuns
from bot.services.mocks.deps import MockDeps
from bot.services.mocks.ports import InterviewerLine, MockRoom
from bot.services.mocks.results import EndOutcome, MockStatus, StartOutcome, SweepReport
from bot.sharding import EVERY_GUILD, ShardPlan
from bot.store import Store


class MockService:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        grader: Grader,
        clock: Clock,
        room: MockRoom,
        budget: GradingService,
        code: MockCodeRuns | None = None,
    ) -> None:
        self._deps = MockDeps(store, catalog, grader, clock, room, budget, code)
        self._sweeping = asyncio.Lock()

    async def start(
        self,
        *,
        guild_id: int,
        user_id: int,
        display_name: str,
        channel_id: int,
        round_name: Round,
        difficulty: Difficulty | None,
        locale: str | None,
        phone_screen: bool = False,
    ) -> StartOutcome:
        """A round of one question, or a phone screen: two coding questions in 60 minutes."""
        opening = start.Opening(
            guild_id,
            user_id,
            display_name,
            channel_id,
            round_name,
            difficulty,
            locale,
            phone_screen=phone_screen,
        )
        return await start.open_round(self._deps, opening)

    async def start_loop(
        self,
        *,
        guild_id: int,
        user_id: int,
        display_name: str,
        channel_id: int,
        locale: str | None,
        track: LoopTrack | None,
        fresh: bool,
    ) -> StartOutcome:
        """Start the member's loop, or its next round (see `loop.start_loop`)."""
        opening = start.Opening(guild_id, user_id, display_name, channel_id, "coding", None, locale)
        return await loop.start_loop(self._deps, opening, track=track, fresh=fresh)

    async def round_for_thread(self, thread_id: int) -> MockRound | None:
        return await self._deps.store.mocks.by_thread(thread_id)

    async def active_rounds(self) -> list[MockRound]:
        return await self._deps.store.mocks.with_status("active")

    async def for_response(
        self, round_id: int, user_id: int, *, guild_id: int
    ) -> tuple[MockRound, Question]:
        return await turn.for_response(self._deps, round_id, user_id, guild_id=guild_id)

    async def take_turn(
        self,
        *,
        guild_id: int,
        round_id: int,
        user_id: int,
        display_name: str,
        text: str,
        source: CandidateSource,
        message_id: int | None = None,
    ) -> InterviewerLine | None:
        return await turn.take_turn(
            self._deps,
            guild_id=guild_id,
            round_id=round_id,
            user_id=user_id,
            display_name=display_name,
            text=text,
            source=source,
            message_id=message_id,
        )

    async def run_code(self, *, guild_id: int, round_id: int, user_id: int) -> InterviewerLine:
        return await turn.run_code(
            self._deps, guild_id=guild_id, round_id=round_id, user_id=user_id
        )

    async def end(
        self, *, guild_id: int, thread_id: int, user_id: int, display_name: str, is_admin: bool
    ) -> EndOutcome:
        return await close.end(
            self._deps,
            guild_id=guild_id,
            thread_id=thread_id,
            user_id=user_id,
            display_name=display_name,
            is_admin=is_admin,
        )

    async def sweep(self, shards: ShardPlan = EVERY_GUILD) -> SweepReport:
        """The scheduler's periodic job; a pass still running makes the next one a no-op."""
        if self._sweeping.locked():
            return SweepReport()
        async with self._sweeping:
            return await sweep.sweep(self._deps, shards)

    async def status(self, guild_id: int, user_id: int) -> MockStatus:
        return await status.status(self._deps, guild_id, user_id)

    async def configure(
        self, guild_id: int, *, idle_minutes: int | None, daily_limit: int | None
    ) -> MockSettings:
        return await status.configure(
            self._deps, guild_id, idle_minutes=idle_minutes, daily_limit=daily_limit
        )
