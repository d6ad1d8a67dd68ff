"""What the services need from Discord, as narrow protocols the Discord adapter implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.content.schema import Question
from bot.domain.models import DailyPost, PostStats


@dataclass(frozen=True)
class Published:
    message_id: int
    thread_id: int | None


class PublishError(Exception):
    """Discord refused or failed a post. `fix` tells an admin what to do; `certain_not_sent`
    is False when the message may have been created anyway (a 5xx or a dropped connection)."""

    def __init__(self, problem: str, fix: str, *, certain_not_sent: bool) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix
        self.certain_not_sent = certain_not_sent


class Publisher(Protocol):
    async def publish_daily(
        self, post: DailyPost, question: Question, ping_role_id: int | None
    ) -> Published: ...

    async def open_discussion(self, post: DailyPost, question: Question) -> int | None:
        """Start the public thread under a sent post; its id, or None when it can't. Idempotent:
        a post that has its thread already gives that thread's id."""
        ...

    async def find_published(self, post: DailyPost) -> Published | None: ...

    async def publish_reveal(
        self, post: DailyPost, question: Question, stats: PostStats
    ) -> None: ...

    async def notify_admins(self, guild_id: int, channel_id: int, text: str) -> None: ...
