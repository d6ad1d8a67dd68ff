"""What the services need from Discord, as narrow protocols the Discord adapter implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.content.schema import Question, Round
from bot.domain.message import plain_params
from bot.domain.models import DailyPost, PostStats


@dataclass(frozen=True)
class Published:
    message_id: int
    thread_id: int | None


class DiscordProblem(Exception):
    """Something Discord refused or failed, and what to do about it (`fix`). `problem` and `fix`
    are msgids of the `messages` catalog (English), filled from `params` where bot/ui shows them
    (`bot.ui.message.localized`): references among the values (a channel, a command) are
    rendered there, and a tuple of texts is a list of msgids (Discord permission names) shown
    translated and joined. A front end that translated already passes its text and no params.
    The exception's own message is the English text, for logs."""

    def __init__(self, problem: str, fix: str, **params: object) -> None:
        super().__init__(_english(problem, params))
        self.problem = problem
        self.fix = fix
        self.params = params


class PublishError(DiscordProblem):
    """Discord refused or failed a post; `certain_not_sent` is False when the message may have
    been created anyway (a 5xx or a dropped connection)."""

    def __init__(self, problem: str, fix: str, *, certain_not_sent: bool, **params: object) -> None:
        super().__init__(problem, fix, **params)
        self.certain_not_sent = certain_not_sent


def _english(text: str, params: dict[str, object]) -> str:
    """`text` filled for logs: references plain, lists joined."""
    if not params:
        return text
    values = {
        name: ", ".join(value) if isinstance(value, tuple) else value
        for name, value in plain_params(params).items()
    }
    return text.format(**values)


@dataclass(frozen=True)
class PostProblem:
    """Why today's question was not posted (a `PublishError`'s problem, fix and params) and,
    once the automatic retries stopped, after how many attempts (`gave_up_after`, 0 while
    retrying). Kept as the guild's last error and shown to its admins by bot/ui."""

    problem: str
    fix: str
    params: dict[str, object]
    gave_up_after: int = 0


@dataclass(frozen=True)
class LowPool:
    """Only `left` questions of `round` were never posted: they will start repeating."""

    left: int
    round: Round


AdminNotice = PostProblem | LowPool


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

    async def notify_admins(self, guild_id: int, channel_id: int, notice: AdminNotice) -> None:
        """Post `notice` in the guild's config channel, worded in the server's language."""
        ...
