"""Claude as grader and interviewer, through the `anthropic` SDK (2.x).

Failure policy: anything that does not give a complete, validated result raises
`GradingUnavailable`; the caller keeps the answer and retries later. Nothing here returns a
partial or guessed grade.

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
import email.utils
import logging
import random
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Final, TypeVar

import anthropic
from anthropic import omit
from pydantic import BaseModel, ValidationError

from bot.content.schema import Question
from bot.domain.grading import (
    MAX_SCORE,
    CriterionScore,
    Grade,
    GradingUnavailable,
    StarBreakdown,
    Usage,
    clamp_score,
    evidence_in_answer,
    looks_like_injection,
    normalise_text,
    overall_of,
    round_half_up,
)
from bot.llm import prompts
from bot.llm.base import Transcript, candidate_turns
from bot.llm.schemas import CriterionOutput, GradeOutput, TranscriptGradeOutput, output_config_for
from bot.llm.usage import LlmCall, Operation, UsageListener, current_scope

if TYPE_CHECKING:
    from anthropic.types import Message, MessageParam, OutputConfigParam, TextBlockParam

log = logging.getLogger(__name__)

_OutputT = TypeVar("_OutputT", bound=BaseModel)

MAX_BACKOFF_S: Final = 8.0
_DEADLINE_SLACK_S: Final = 5.0
_MAX_LIST_ITEMS: Final = 3
_MAX_ITEM_CHARS: Final = 400
_MAX_COMMENT_CHARS: Final = 600
_MAX_EVIDENCE_CHARS: Final = 400
_MAX_TURN_CHARS: Final = 1800  # a Discord message holds 2000
_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_SPEAKER_PREFIX = re.compile(r"^\s*\**interviewer\**\s*:\s*", re.IGNORECASE)
# Built once: the JSON schemas sent as output_config.format (what messages.parse would send).
_GRADE_FORMAT: Final = output_config_for(GradeOutput)
_SCORECARD_FORMAT: Final = output_config_for(TranscriptGradeOutput)


def _nonce() -> str:
    return secrets.token_hex(8)


def _retry_after_seconds(headers: Mapping[str, str]) -> float | None:
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


def _clean_list(items: Sequence[str]) -> tuple[str, ...]:
    cleaned = (" ".join(item.split())[:_MAX_ITEM_CHARS] for item in items)
    return tuple(item for item in cleaned if item)[:_MAX_LIST_ITEMS]


def _text_of(message: Message) -> str:
    # Thinking blocks (if ever enabled) come first: never read content[0] blindly.
    return "".join(block.text for block in message.content if block.type == "text")


def _usage_of(message: Message) -> Usage:
    usage = message.usage
    return Usage(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cache_read_tokens=usage.cache_read_input_tokens or 0,
        cache_write_tokens=usage.cache_creation_input_tokens or 0,
    )


class ClaudeGrader:
    """Grades and interviews with Claude; raises `GradingUnavailable` instead of guessing."""

    name = "claude"
    approximate = False

    def __init__(
        self,
        client: anthropic.AsyncAnthropic,
        model: str,
        *,
        timeout_s: float = 60.0,
        max_retries: int = 2,
        concurrency: int = 4,
        max_retry_after_s: float = 20.0,
        backoff_base_s: float = 0.5,
        grade_max_tokens: int = 2048,
        turn_max_tokens: int = 512,
    ) -> None:
        if max_retries < 0 or concurrency < 1 or timeout_s <= 0:
            raise ValueError("timeout_s > 0, max_retries >= 0 and concurrency >= 1 are required")
        self._root = client
        # The SDK must not retry on its own: it would obey any retry-after without a cap.
        self._client = client.with_options(timeout=timeout_s, max_retries=0)
        self.model = model
        self._max_retries = max_retries
        self._max_retry_after_s = max_retry_after_s
        self._backoff_base_s = backoff_base_s
        self._grade_max_tokens = grade_max_tokens
        self._turn_max_tokens = turn_max_tokens
        self._semaphore = asyncio.Semaphore(concurrency)
        self._listener: UsageListener | None = None
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

    # --- the three operations -------------------------------------------------------------

    async def grade(self, question: Question, answer: str, *, locale: str | None = None) -> Grade:
        nonce = _nonce()
        system = self._system(
            prompts.GRADER_RULES + "\n\n" + prompts.question_brief(question),
            prompts.grade_request_instructions(nonce, locale),
        )
        messages: list[MessageParam] = [
            {"role": "user", "content": prompts.wrap_answer(answer, nonce)}
        ]
        message = await self._create(
            system,
            messages,
            self._grade_max_tokens,
            _GRADE_FORMAT,
            ("grade", prompts.GRADE_PROMPT_VERSION),
        )
        output = self._parse(message, GradeOutput)
        return self._build_grade(
            question, output, answer, message, locale, prompts.GRADE_PROMPT_VERSION
        )

    async def grade_transcript(
        self, question: Question, transcript: Transcript, *, locale: str | None = None
    ) -> Grade:
        nonce = _nonce()
        system = self._system(
            prompts.SCORECARD_RULES + "\n\n" + prompts.question_brief(question),
            prompts.scorecard_request_instructions(nonce, locale),
        )
        task = "Write the scorecard for the candidate in the mock interview below."
        messages: list[MessageParam] = [
            {"role": "user", "content": prompts.wrap_transcript(transcript, nonce, task=task)}
        ]
        message = await self._create(
            system,
            messages,
            self._grade_max_tokens,
            _SCORECARD_FORMAT,
            ("scorecard", prompts.TRANSCRIPT_PROMPT_VERSION),
        )
        output = self._parse(message, TranscriptGradeOutput)
        # Evidence must come from what the candidate said, not from the interviewer's lines.
        said = "\n\n".join(candidate_turns(transcript))
        grade = self._build_grade(
            question, output, said, message, locale, prompts.TRANSCRIPT_PROMPT_VERSION
        )
        return replace(
            grade,
            hiring_signal=output.hiring_signal,
            hiring_reasons=_clean_list(output.hiring_reasons),
        )

    async def interview_turn(
        self,
        question: Question,
        transcript: Transcript,
        *,
        phase: str | None,
        locale: str | None = None,
    ) -> str:
        nonce = _nonce()
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
        message = await self._create(
            system,
            messages,
            self._turn_max_tokens,
            None,
            ("interview_turn", prompts.INTERVIEW_PROMPT_VERSION),
        )
        if message.stop_reason == "refusal":
            raise GradingUnavailable("refusal", retryable=False)
        text = _SPEAKER_PREFIX.sub("", _text_of(message)).strip()
        if message.stop_reason == "max_tokens":
            # A cut-off question is still usable if it ends on a full sentence.
            cut = max(text.rfind(". "), text.rfind("? "), text.rfind("?\n"))
            text = text[: cut + 1].strip() if cut > 0 else ""
        if not text:
            raise GradingUnavailable("empty_output", retryable=True)
        return text[:_MAX_TURN_CHARS]

    # --- request plumbing -------------------------------------------------------------------

    @staticmethod
    def _system(cached_prefix: str, per_request: str) -> list[TextBlockParam]:
        return [
            # Same text for every member answering this question: the cacheable prefix.
            {"type": "text", "text": cached_prefix, "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": per_request},
        ]

    async def _create(
        self,
        system: list[TextBlockParam],
        messages: list[MessageParam],
        max_tokens: int,
        output_config: OutputConfigParam | None,
        purpose: tuple[Operation, str],
    ) -> Message:
        config: OutputConfigParam | anthropic.Omit = (
            omit if output_config is None else output_config
        )
        async with self._semaphore:
            try:
                async with asyncio.timeout(self.deadline_s):
                    message = await self._attempts(system, messages, max_tokens, config)
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
            usage=_usage_of(message),
            scope=current_scope(),
        )
        try:
            await self._listener(call)
        except Exception:
            log.warning("usage listener failed for a %s call", operation, exc_info=True)

    async def _attempts(
        self,
        system: list[TextBlockParam],
        messages: list[MessageParam],
        max_tokens: int,
        config: OutputConfigParam | anthropic.Omit,
    ) -> Message:
        attempt = 0
        while True:
            retry_after: float | None = None
            try:
                return await self._client.messages.create(
                    model=self.model,
                    max_tokens=max_tokens,
                    system=system,
                    messages=messages,
                    output_config=config,
                )
            # APITimeoutError is a kind of APIConnectionError: catch it first.
            except anthropic.APITimeoutError:
                failure = GradingUnavailable("timeout", retryable=True)
            except anthropic.APIConnectionError:
                failure = GradingUnavailable("connection_error", retryable=True)
            except anthropic.APIStatusError as exc:
                retry_after = _retry_after_seconds(exc.response.headers)
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

    # --- validation ---------------------------------------------------------------------------

    @staticmethod
    def _parse(message: Message, schema: type[_OutputT]) -> _OutputT:
        # The stop reason decides first: a refusal or a cut-off reply is not a grade even when
        # its text happens to parse.
        if message.stop_reason == "refusal":
            raise GradingUnavailable("refusal", retryable=False)
        if message.stop_reason == "max_tokens":
            raise GradingUnavailable("max_tokens", retryable=True)
        if message.stop_reason == "model_context_window_exceeded":
            raise GradingUnavailable("context_window_exceeded", retryable=False)
        try:
            return schema.model_validate_json(_text_of(message))
        except ValidationError as exc:
            # Types and locations only: the error inputs could quote the candidate's answer.
            problems = [(e["type"], e["loc"]) for e in exc.errors()[:3]]
            log.warning("claude returned unusable output: %s", problems)
            raise GradingUnavailable("malformed_output", retryable=True) from exc

    def _build_grade(
        self,
        question: Question,
        output: GradeOutput,
        answer: str,
        message: Message,
        locale: str | None,
        prompt_version: str,
    ) -> Grade:
        by_name: dict[str, CriterionOutput] = {}
        for item in output.criteria:
            by_name.setdefault(normalise_text(item.name), item)
        missing = [c.name for c in question.rubric if normalise_text(c.name) not in by_name]
        if missing:
            raise GradingUnavailable(f"incomplete_output: {', '.join(missing)}", retryable=True)
        criteria: list[CriterionScore] = []
        for criterion in question.rubric:
            item = by_name[normalise_text(criterion.name)]
            evidence = item.evidence.strip() if item.evidence else None
            if evidence and (
                len(evidence) > _MAX_EVIDENCE_CHARS or not evidence_in_answer(evidence, answer)
            ):
                evidence = None  # an invented or paraphrased quote is worse than none
            criteria.append(
                CriterionScore(
                    name=criterion.name,  # the pack's spelling, whatever the model wrote
                    score=round_half_up(clamp_score(item.score)),
                    max=MAX_SCORE,
                    weight=criterion.weight,
                    evidence=evidence,
                    comment=" ".join(item.comment.split())[:_MAX_COMMENT_CHARS],
                )
            )
        star = None
        if question.round == "behavioral" and output.star is not None:
            s = output.star
            star = StarBreakdown(
                situation=s.situation[:_MAX_ITEM_CHARS],
                task=s.task[:_MAX_ITEM_CHARS],
                action=s.action[:_MAX_ITEM_CHARS],
                result=s.result[:_MAX_ITEM_CHARS],
                ownership=s.ownership[:_MAX_ITEM_CHARS],
            )
        language = output.language.strip()
        if not _LANGUAGE_CODE.match(language):
            language = prompts.language_code(locale)
        return Grade(
            overall=overall_of(criteria),  # ours, from the weights: never the model's arithmetic
            max=MAX_SCORE,
            grader=self.name,
            model=message.model,
            prompt_version=prompt_version,
            criteria=tuple(criteria),
            strengths=_clean_list(output.strengths),
            improvements=_clean_list(output.improvements),
            strong_answer_adds=_clean_list(output.strong_answer_adds),
            star=star,
            injection_attempt=output.injection_attempt or looks_like_injection(answer),
            approximate=False,
            language=language,
            usage=_usage_of(message),
        )
