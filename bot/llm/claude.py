"""Claude as grader and interviewer, through the `anthropic` SDK (2.x).

Failure policy: every reply the API counts as valid is a result (the schemas in `bot.llm.schemas`
are complete by construction, `bot.llm.replies` reads any instance of them); anything else (an
error status, a cut-off or refused reply) raises `GradingUnavailable` and the caller keeps the
answer. A refusal is tried once more on `fallback_model` when one is configured.

Thinking and limits. The default model thinks before it answers (adaptive thinking), and its
thinking tokens count toward `max_tokens`. Each operation has a fixed effort (fixed so that its
requests stay byte-identical in the cached prefix) and a `max_tokens` with room for that thinking;
you pay only for the tokens written, so the room costs nothing (see `LIMITS`).

Time budget. A Discord interaction token lasts 15 minutes, and the SDK's defaults (600 s timeout,
2 retries, `retry-after` obeyed without a cap) could spend far longer than that on one answer. So
the SDK's own retries are switched off (`with_options(max_retries=0)`) and this module retries
itself, refusing to sleep for a `retry-after` longer than `max_retry_after_s`. With the defaults
(60 s per attempt, 2 retries, at most 20 s between attempts):

    worst case = 60 s x (2 + 1) attempts + 2 x 20 s waits = 220 s, about 3.7 minutes

and an `asyncio.timeout` of that budget (+5 s) wraps the whole call, because httpx timeouts are
per read, not per request: a server trickling bytes could otherwise stretch one attempt. Time
spent queueing for the concurrency semaphore is not in the budget; callers that answer an
interaction should defer first (the answer is saved before grading starts).
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import anthropic

from bot.content.schema import Question
from bot.domain.code_tests import RunEvidence
from bot.domain.grading import MAX_SCORE, Grade, GradingUnavailable, follow_tests
from bot.llm import prompts
from bot.llm.base import Transcript, candidate_turns
from bot.llm.claude_messages import check_stop, grade_of, retry_after_seconds, turn_of, usage_of
from bot.llm.offline import OfflineGrader
from bot.llm.replies import ReplyContext
from bot.llm.schemas import (
    TURN_SCHEMA,
    Effort,
    Schema,
    grade_schema,
    output_config,
    scorecard_schema,
)
from bot.llm.usage import LlmCall, Operation, UsageListener, current_scope

if TYPE_CHECKING:
    from anthropic.types import Message, MessageParam, TextBlockParam

log = logging.getLogger(__name__)

MAX_BACKOFF_S: Final = 8.0
_DEADLINE_SLACK_S: Final = 5.0


@dataclass(frozen=True)
class CallLimits:
    """The effort and output ceiling of one kind of call (thinking tokens included)."""

    effort: Effort
    max_tokens: int


# Grades, scorecards and peer notes: the reply is 600-1,500 tokens of JSON, and judging an answer
# against a rubric is where thinking pays, so `medium` (the model's default). 16,000 leaves ten
# times the reply for thinking; only the tokens written are billed, so the room is free.
# Interviewer turns: a member waits live for at most 120 words, so `low` effort (less thinking,
# faster), and 4,000 tokens is still ten times such a reply plus its thinking at that effort.
LIMITS: Final[Mapping[Operation, CallLimits]] = {
    "grade": CallLimits("medium", 16_000),
    "scorecard": CallLimits("medium", 16_000),
    "peer_note": CallLimits("medium", 16_000),
    "interview_turn": CallLimits("low", 4_000),
}


def _nonce() -> str:
    return secrets.token_hex(8)


class ClaudeGrader:
    """Grades and interviews with Claude; raises `GradingUnavailable` instead of guessing."""

    name = "claude"
    approximate = False

    def __init__(
        self,
        client: anthropic.AsyncAnthropic,
        model: str,
        *,
        fallback_model: str | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 2,
        concurrency: int = 4,
        max_retry_after_s: float = 20.0,
        backoff_base_s: float = 0.5,
        limits: Mapping[Operation, CallLimits] = LIMITS,
    ) -> None:
        if max_retries < 0 or concurrency < 1 or timeout_s <= 0:
            raise ValueError("timeout_s > 0, max_retries >= 0 and concurrency >= 1 are required")
        self._root = client
        # The SDK must not retry on its own: it would obey any retry-after without a cap.
        self._client = client.with_options(timeout=timeout_s, max_retries=0)
        self.model = model
        self.fallback_model = fallback_model or None
        self._max_retries = max_retries
        self._max_retry_after_s = max_retry_after_s
        self._backoff_base_s = backoff_base_s
        self._limits = dict(limits)
        self._semaphore = asyncio.Semaphore(concurrency)
        self._listener: UsageListener | None = None
        self._stand_in = OfflineGrader()
        self.deadline_s = (
            timeout_s * (max_retries + 1)
            + max_retries * max(max_retry_after_s, MAX_BACKOFF_S)
            + _DEADLINE_SLACK_S
        )

    async def aclose(self) -> None:
        await self._root.close()

    def set_usage_listener(self, listener: UsageListener | None) -> None:
        """Called with every API response's usage (replacing any earlier listener); a failing
        listener never fails a grade."""
        self._listener = listener

    # --- the operations -----------------------------------------------------------------------

    async def grade(
        self,
        question: Question,
        answer: str,
        *,
        locale: str | None = None,
        hints: Sequence[str] = (),
        tests: RunEvidence | None = None,
        clarified: bool | None = None,
    ) -> Grade:
        nonce = _nonce()
        version = prompts.GRADE_PROMPT_VERSION
        # The test results are per answer: after the cached prefix, in block 2 and the user turn.
        system = self._system(
            prompts.GRADER_RULES + "\n\n" + prompts.question_brief(question),
            prompts.grade_request_instructions(
                nonce, locale, hints, tests, clarified if question.clarifications else None
            ),
        )
        messages: list[MessageParam] = [
            {"role": "user", "content": prompts.wrap_answer(answer, nonce, tests)}
        ]
        message = await self._structured(
            system, messages, grade_schema(question, version), ("grade", version)
        )
        grade = grade_of(message, self._context(question, answer, message, locale, version))
        # The prompt asks for it; this makes sure of it, as the offline grader does.
        return follow_tests(grade, tests, ceiling=MAX_SCORE, band=None)

    async def grade_transcript(
        self,
        question: Question,
        transcript: Transcript,
        *,
        locale: str | None = None,
        operation: Operation = "scorecard",
        tests: RunEvidence | None = None,
    ) -> Grade:
        nonce = _nonce()
        version = prompts.TRANSCRIPT_PROMPT_VERSION
        system = self._system(
            prompts.SCORECARD_RULES + "\n\n" + prompts.question_brief(question),
            prompts.scorecard_request_instructions(nonce, locale, tests),
        )
        task = "Write the scorecard for the candidate in the mock interview below."
        messages: list[MessageParam] = [
            {"role": "user", "content": prompts.wrap_transcript(transcript, nonce, task=task)}
        ]
        message = await self._structured(
            system, messages, scorecard_schema(question, version), (operation, version)
        )
        # Evidence must come from what the candidate said, not from the interviewer's lines.
        said = "\n\n".join(candidate_turns(transcript))
        grade = grade_of(message, self._context(question, said, message, locale, version))
        return follow_tests(grade, tests, ceiling=MAX_SCORE, band=None)

    async def interview_turn(
        self,
        question: Question,
        transcript: Transcript,
        *,
        phase: str | None,
        locale: str | None = None,
    ) -> str:
        nonce = _nonce()
        version = prompts.INTERVIEW_PROMPT_VERSION
        system = self._system(
            prompts.INTERVIEWER_RULES
            + "\n\n"
            + prompts.question_brief(question, for_interviewer=True),
            prompts.interview_request_instructions(nonce, locale, phase),
        )
        task = "Here is the interview so far. Write the interviewer's next message."
        messages: list[MessageParam] = [
            {"role": "user", "content": prompts.wrap_transcript(transcript, nonce, task=task)}
        ]
        message = await self._structured(system, messages, TURN_SCHEMA, ("interview_turn", version))
        text = turn_of(message)
        if text:
            return text
        # A valid but empty message: the scripted interviewer's line keeps the interview going.
        return await self._stand_in.interview_turn(question, transcript, phase=phase, locale=locale)

    def _context(
        self,
        question: Question,
        candidate_text: str,
        message: Message,
        locale: str | None,
        version: str,
    ) -> ReplyContext:
        return ReplyContext(
            question=question,
            candidate_text=candidate_text,
            grader=self.name,
            model=message.model,
            prompt_version=version,
            locale=locale,
            usage=usage_of(message),
        )

    # --- request plumbing -------------------------------------------------------------------

    @staticmethod
    def _system(cached_prefix: str, per_request: str) -> list[TextBlockParam]:
        return [
            # Same text for every member answering this question: the cacheable prefix.
            {"type": "text", "text": cached_prefix, "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": per_request},
        ]

    async def _structured(
        self,
        system: list[TextBlockParam],
        messages: list[MessageParam],
        schema: Schema,
        purpose: tuple[Operation, str],
    ) -> Message:
        """A usable reply (stop reason checked), from the model or, after a refusal, from the
        fallback model once."""
        try:
            message = await self._create(system, messages, schema, purpose, self.model)
            check_stop(message)
        except GradingUnavailable as exc:
            if exc.reason != "refusal" or self.fallback_model is None:
                raise
            log.info("claude refused a %s; trying %s once", purpose[0], self.fallback_model)
            message = await self._create(system, messages, schema, purpose, self.fallback_model)
            check_stop(message)
        return message

    async def _create(
        self,
        system: list[TextBlockParam],
        messages: list[MessageParam],
        schema: Schema,
        purpose: tuple[Operation, str],
        model: str,
    ) -> Message:
        limits = self._limits[purpose[0]]
        async with self._semaphore:
            try:
                async with asyncio.timeout(self.deadline_s):
                    message = await self._attempts(
                        model=model,
                        max_tokens=limits.max_tokens,
                        system=system,
                        messages=messages,
                        output_config=output_config(schema, limits.effort),
                    )
            except TimeoutError as exc:
                raise GradingUnavailable("deadline_exceeded", retryable=True) from exc
        # Before any validation: an unusable reply was still paid for.
        await self._report(message, *purpose)
        return message

    async def _report(self, message: Message, operation: Operation, prompt_version: str) -> None:
        if self._listener is None:
            return
        call = LlmCall(
            operation=operation,
            model=message.model,
            prompt_version=prompt_version,
            stop_reason=message.stop_reason,
            usage=usage_of(message),
            scope=current_scope(),
        )
        try:
            await self._listener(call)
        except Exception:
            log.warning("usage listener failed for a %s call", operation, exc_info=True)

    async def _attempts(self, **request: object) -> Message:
        attempt = 0
        while True:
            retry_after: float | None = None
            try:
                return await self._client.messages.create(**request)  # type: ignore[call-overload]
            # APITimeoutError is a kind of APIConnectionError: catch it first.
            except anthropic.APITimeoutError:
                failure = GradingUnavailable("timeout", retryable=True)
            except anthropic.APIConnectionError:
                failure = GradingUnavailable("connection_error", retryable=True)
            except anthropic.APIStatusError as exc:
                retry_after = retry_after_seconds(exc.response.headers)
                failure = self._status_failure(exc, retry_after)
                if exc.response.headers.get("x-should-retry") == "false":
                    raise failure from exc
            if not failure.retryable or attempt >= self._max_retries:
                raise failure
            if retry_after is not None and retry_after > self._max_retry_after_s:
                # Waiting that long would risk the interaction token: hand it back to the caller.
                raise failure
            delay = retry_after if retry_after is not None else self._backoff(attempt)
            log.info("claude %s; retry %d in %.2fs", failure.reason, attempt + 1, delay)
            await asyncio.sleep(delay)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        base = min(self._backoff_base_s * 2.0**attempt, MAX_BACKOFF_S)
        return base * (1 - 0.25 * random.random())

    @staticmethod
    def _status_failure(
        exc: anthropic.APIStatusError, retry_after: float | None
    ) -> GradingUnavailable:
        if isinstance(exc, anthropic.RateLimitError):
            return GradingUnavailable("rate_limited", retryable=True, retry_after=retry_after)
        if isinstance(exc, anthropic.OverloadedError):
            return GradingUnavailable("overloaded", retryable=True, retry_after=retry_after)
        if isinstance(exc, anthropic.InternalServerError) or exc.status_code in (408, 409):
            return GradingUnavailable(
                f"server_error_{exc.status_code}", retryable=True, retry_after=retry_after
            )
        # 400/401/403/404/413...: the same request will fail the same way; an operator must act.
        log.warning("claude request rejected: %s %s", exc.status_code, exc.api_message)
        return GradingUnavailable(f"api_error_{exc.status_code}", retryable=False)
