"""Reading a structured reply into a grade or an interviewer turn.

Every instance of a schema from `bot.llm.schemas` reads into a complete result: criteria come by
position (`c1..cN`), free text is trimmed (an empty string is "none"), scores are clamped, an enum
in another case or spelling is normalised, and anything unexpected in a free field is ignored. The
only replies refused are those that are not an instance at all (not JSON, a required key missing),
which the API does not send.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from bot.content.schema import Question
from bot.domain.grading import (
    HIRING_SIGNALS,
    MAX_SCORE,
    CriterionScore,
    Grade,
    GradingUnavailable,
    HiringSignal,
    StarBreakdown,
    Usage,
    clamp_score,
    evidence_in_answer,
    hiring_signal_for,
    looks_like_injection,
    overall_of,
    round_half_up,
)
from bot.llm import prompts
from bot.llm.schemas import criterion_key

MAX_LIST_ITEMS: Final = 3
MAX_ITEM_CHARS: Final = 400
MAX_COMMENT_CHARS: Final = 600
MAX_EVIDENCE_CHARS: Final = 400
MAX_TURN_CHARS: Final = 1800  # a Discord message holds 2000
_LANGUAGE_CODE: Final = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_SPEAKER_PREFIX: Final = re.compile(r"^\s*\**interviewer\**\s*:\s*", re.IGNORECASE)
_SEPARATORS: Final = re.compile(r"[\s_\-]+")
# C0 and C1 control characters: nothing a member should see in feedback.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class ReplyContext:
    """What a reply is read against: the question, the candidate's own text, who graded."""

    question: Question
    candidate_text: str
    grader: str
    model: str | None
    prompt_version: str
    locale: str | None
    usage: Usage | None


def read_object(text: str) -> Mapping[str, Any]:
    """The reply's JSON object; `malformed_output` when it is not one."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise GradingUnavailable("malformed_output", retryable=True) from exc
    if not isinstance(data, dict):
        raise GradingUnavailable("malformed_output", retryable=True)
    return data


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(_CONTROL.sub(" ", value).split())[:limit]


def _items(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    cleaned = (_text(item, MAX_ITEM_CHARS) for item in value)
    return tuple(item for item in cleaned if item)[:MAX_LIST_ITEMS]


def _score(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    number = float(value)
    return 0.0 if math.isnan(number) else round_half_up(clamp_score(number))


def normalise_signal(value: object) -> HiringSignal | None:
    """'Lean-Yes', 'lean_yes', ' LEAN  yes ' -> 'lean yes'; None when it is no signal."""
    if not isinstance(value, str):
        return None
    spelled = _SEPARATORS.sub(" ", value).strip().casefold()
    return next((signal for signal in HIRING_SIGNALS if signal == spelled), None)


def _criteria(data: Mapping[str, Any], context: ReplyContext) -> tuple[CriterionScore, ...]:
    entries = data.get("criteria")
    if not isinstance(entries, dict):
        raise GradingUnavailable("incomplete_output: criteria", retryable=True)
    missing = [
        c.name
        for i, c in enumerate(context.question.rubric)
        if not isinstance(entries.get(criterion_key(i)), dict)
    ]
    if missing:
        raise GradingUnavailable(f"incomplete_output: {', '.join(missing)}", retryable=True)
    scores = []
    for i, criterion in enumerate(context.question.rubric):
        entry = entries[criterion_key(i)]
        evidence = entry.get("evidence")
        quote = evidence.strip() if isinstance(evidence, str) else ""
        if len(quote) > MAX_EVIDENCE_CHARS or not evidence_in_answer(quote, context.candidate_text):
            quote = ""  # an invented or paraphrased quote is worse than none
        scores.append(
            CriterionScore(
                name=criterion.name,  # the pack's spelling: the key says which criterion it is
                score=_score(entry.get("score")),
                max=MAX_SCORE,
                weight=criterion.weight,
                evidence=quote or None,
                comment=_text(entry.get("comment"), MAX_COMMENT_CHARS),
            )
        )
    return tuple(scores)


def _star(data: Mapping[str, Any], question: Question) -> StarBreakdown | None:
    star = data.get("star")
    if question.round != "behavioral" or not isinstance(star, dict):
        return None
    parts = (
        _text(star.get(key), MAX_ITEM_CHARS)
        for key in ("situation", "task", "action", "result", "ownership")
    )
    return StarBreakdown(*parts)


def read_grade(data: Mapping[str, Any], context: ReplyContext) -> Grade:
    """A complete grade from an instance of a grade or scorecard schema."""
    criteria = _criteria(data, context)
    language = data.get("language")
    if not (isinstance(language, str) and _LANGUAGE_CODE.match(language.strip())):
        language = prompts.language_code(context.locale)
    flagged = data.get("injection_attempt") is True
    overall = overall_of(criteria)
    signal = None
    if "hiring_signal" in data:  # a scorecard: an unreadable signal follows from the scores
        signal = normalise_signal(data["hiring_signal"]) or hiring_signal_for(overall)
    return Grade(
        overall=overall,  # ours, from the weights: never the model's arithmetic
        max=MAX_SCORE,
        grader=context.grader,
        model=context.model,
        prompt_version=context.prompt_version,
        criteria=criteria,
        strengths=_items(data.get("strengths")),
        improvements=_items(data.get("improvements")),
        strong_answer_adds=_items(data.get("strong_answer_adds")),
        star=_star(data, context.question),
        injection_attempt=flagged or looks_like_injection(context.candidate_text),
        approximate=False,
        language=language.strip(),
        usage=context.usage,
        hiring_signal=signal,
        hiring_reasons=_items(data.get("hiring_reasons")),
        hints_note=_text(data.get("hints_gave_away"), MAX_COMMENT_CHARS) or None,
    )


def read_turn(data: Mapping[str, Any]) -> str:
    """The interviewer's message, or "" when the reply holds none (the caller stands in)."""
    message = data.get("message")
    if not isinstance(message, str):
        return ""
    message = _CONTROL.sub(" ", message)
    return _SPEAKER_PREFIX.sub("", message).strip()[:MAX_TURN_CHARS].strip()
