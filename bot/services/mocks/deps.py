"""What every mock use case shares: its collaborators, the per-round locks, and the checks and
helpers each of them needs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime

from bot.content.schema import Question
from bot.domain.clock import Clock
from bot.domain.errors import UserError
from bot.domain.message import Command, Member
from bot.domain.mock import MockRound
from bot.domain.schedule import local_date
from bot.llm.base import Grader
from bot.llm.offline import OfflineGrader
from bot.services.catalog import Catalog
from bot.services.grading import GradingService
from bot.services.keyed_locks import KeyedLocks
from bot.services.mocks.code_runs import MockCodeRuns
from bot.services.mocks.ports import MockRoom
from bot.services.ports import PublishError
from bot.store import Store

log = logging.getLogger("bot.services.mocks")


@dataclass
class MockDeps:
    store: Store
    catalog: Catalog
    grader: Grader
    clock: Clock
    room: MockRoom
    budget: GradingService
    code: MockCodeRuns | None = None
    fallback: Grader = field(default_factory=OfflineGrader)
    # One thing at a time per round: turns stay in order and a close never races a turn.
    locks: KeyedLocks = field(default_factory=KeyedLocks)

    async def question_of(self, mock: MockRound) -> Question:
        question = await self.catalog.question(mock.guild_id, mock.question_id)
        if question is None:
            raise UserError(
                "This round's question was removed from the server's bank.", code="no-question"
            )
        return question

    async def local_date(self, guild_id: int, now: datetime) -> str:
        return local_date(now, await self.store.guilds.zone(guild_id)).isoformat()


def require_active(mock: MockRound | None, guild_id: int) -> MockRound:
    """The round, if it is running in this server: round ids come from custom_ids, which a
    modified client can send from any server."""
    if mock is None or mock.guild_id != guild_id:
        raise UserError("That mock round does not exist in this server.", code="no-round")
    if not mock.is_active:
        raise UserError(
            "This round is over (its scorecard is in its thread). Start another with {command}.",
            code="round-over",
            command=Command("/mock start"),
        )
    return mock


def require_candidate(mock: MockRound, user_id: int) -> None:
    if user_id != mock.user_id:
        raise UserError(
            "Only {member} answers in this round: it is their mock interview. Start your own "
            "with {command}.",
            code="not-candidate",
            member=Member(mock.user_id),
            command=Command("/mock start"),
        )


async def quietly(action: Awaitable[None], what: str, mock: MockRound) -> None:
    """Discord failing to show something must not undo what is saved; log it and go on."""
    try:
        await action
    except PublishError as exc:
        log.warning("mock round %s: %s not posted: %s", mock.round_id, what, exc)
