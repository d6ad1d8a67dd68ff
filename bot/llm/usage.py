"""Reporting every model call's token usage, and whose action it was made for.

The grader reports each API response (whatever its stop reason) to its listeners, so usage is
recorded for grades, scorecards, interviewer turns and unusable replies alike, without the
callers having to remember. Who the call was for travels in a context variable: a service wraps
its grader calls in `usage_scope(guild_id, user_id)`, and the listener, awaited in the same
task, attributes the call. A call outside any scope is still recorded, unattributed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Final, Literal, Protocol, runtime_checkable

from bot.domain.grading import Usage

Operation = Literal["grade", "scorecard", "peer_note", "interview_turn"]


@dataclass(frozen=True)
class UsageScope:
    guild_id: int | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class LlmCall:
    operation: Operation
    model: str
    prompt_version: str
    stop_reason: str | None
    usage: Usage
    scope: UsageScope


UsageListener = Callable[[LlmCall], Awaitable[None]]

_NO_SCOPE: Final = UsageScope()
_scope: ContextVar[UsageScope] = ContextVar("llm_usage_scope", default=_NO_SCOPE)


@contextmanager
def usage_scope(guild_id: int | None, user_id: int | None) -> Iterator[UsageScope]:
    """Attribute the model calls made inside the block to this guild and member."""
    scope = UsageScope(guild_id, user_id)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def current_scope() -> UsageScope:
    return _scope.get()


@runtime_checkable
class Metered(Protocol):
    """A grader that reports the usage of its model calls (the offline grader makes none)."""

    def set_usage_listener(self, listener: UsageListener | None) -> None: ...
