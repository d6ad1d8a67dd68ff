"""Reading the Messages API's responses: the text after any thinking blocks, the usage, the stop
reason (which decides before the text), the schema instance as a grade or an interviewer turn,
and the server's wait hint."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.domain.grading import Grade, GradingUnavailable, Usage
from bot.llm.replies import ReplyContext, read_grade, read_object, read_turn

if TYPE_CHECKING:
    from anthropic.types import Message


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The server's wait hint: `retry-after-ms`, then `retry-after` as seconds or a date."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return max(0.0, float(email.utils.mktime_tz(parsed) - time.time()))


def _text_of(message: Message) -> str:
    # Thinking blocks come first: never read content[0] blindly.
    return "".join(block.text for block in message.content if block.type == "text")


def usage_of(message: Message) -> Usage:
    usage = message.usage
    return Usage(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cache_read_tokens=usage.cache_read_input_tokens or 0,
        cache_write_tokens=usage.cache_creation_input_tokens or 0,
    )


def check_stop(message: Message) -> None:
    # The stop reason decides first: a refusal or a cut-off reply is not a result even when its
    # text happens to parse.
    if message.stop_reason == "refusal":
        raise GradingUnavailable("refusal", retryable=False)
    if message.stop_reason == "max_tokens":
        raise GradingUnavailable("max_tokens", retryable=True)
    if message.stop_reason == "model_context_window_exceeded":
        raise GradingUnavailable("context_window_exceeded", retryable=False)


def grade_of(message: Message, context: ReplyContext) -> Grade:
    """The grade or scorecard in a reply: every instance of the schema sent reads into one."""
    check_stop(message)
    return read_grade(read_object(_text_of(message)), context)


def turn_of(message: Message) -> str:
    """The interviewer's message in a reply; "" when the instance holds none."""
    check_stop(message)
    return read_turn(read_object(_text_of(message)))
