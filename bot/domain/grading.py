"""Grades and the pure rules around them: weighting, clamping, evidence checks, tag hygiene.

Nothing here talks to a model or a database; the graders in `bot.llm` build these objects and
the services store and render them. Scores are on a 0..5 scale per criterion (the content schema
fixes the maximum at 5) and the overall score is always recomputed here from the weights, never
taken from a model's own arithmetic.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, Literal

from bot.domain.code_tests import RunEvidence, tested_score, tests_comment

MAX_SCORE: Final = 5

HiringSignal = Literal["strong no", "no", "lean no", "lean yes", "yes", "strong yes"]
HIRING_SIGNALS: Final[tuple[HiringSignal, ...]] = (
    "strong no",
    "no",
    "lean no",
    "lean yes",
    "yes",
    "strong yes",
)


class GradingUnavailable(Exception):
    """Feedback is delayed; the answer is saved and can be graded later.

    `retryable` says whether trying the same answer again later can succeed (an overloaded or
    rate-limited API) or not (a refusal, a rejected request). `retry_after` is the server's hint
    in seconds when it gave one, so a caller can schedule the retry instead of guessing.
    """

    def __init__(self, reason: str, retryable: bool, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"GradingUnavailable({self.reason!r}, retryable={self.retryable})"


# One retry schedule for every AI call that waits for a later try (a daily answer's grade, a peer
# session's notes): from 2 minutes, doubling, up to an hour. After MAX_AI_ATTEMPTS failed attempts
# (about an hour of the API failing) the offline stand-in is given instead of more waiting.
RETRY_DELAY: Final = timedelta(minutes=2)
MAX_RETRY_DELAY: Final = timedelta(hours=1)
MAX_AI_ATTEMPTS: Final = 6
# The doubling reaches MAX_RETRY_DELAY long before this; capping the exponent keeps a corrupt or
# huge attempt count from overflowing timedelta (at about 39 doublings of 2 minutes).
_MAX_DOUBLINGS: Final = 16


def retry_wait(attempts: int, retry_after: timedelta | None = None) -> timedelta:
    """How long to wait before the next try after `attempts` earlier failed ones; the API's own
    `retry_after` hint wins when it asks for longer, even past MAX_RETRY_DELAY."""
    backoff = min(RETRY_DELAY * 2 ** min(attempts, _MAX_DOUBLINGS), MAX_RETRY_DELAY)
    return max(backoff, retry_after) if retry_after is not None else backoff


@dataclass(frozen=True)
class CriterionScore:
    name: str
    score: float
    max: int
    weight: int
    evidence: str | None
    comment: str


@dataclass(frozen=True)
class StarBreakdown:
    """Behavioral answers: what each STAR part said, and whether the candidate owned the work."""

    situation: str
    task: str
    action: str
    result: str
    ownership: str  # an "I" vs "we" assessment in a sentence


@dataclass(frozen=True)
class Usage:
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )


@dataclass(frozen=True)
class Grade:
    overall: float
    max: int
    grader: str
    model: str | None
    prompt_version: str
    criteria: tuple[CriterionScore, ...]
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]
    strong_answer_adds: tuple[str, ...]
    star: StarBreakdown | None
    injection_attempt: bool
    approximate: bool
    language: str
    usage: Usage | None
    # Only transcript grades (mock rounds) carry a hiring signal.
    hiring_signal: HiringSignal | None = None
    hiring_reasons: tuple[str, ...] = field(default=())
    # Written answers after hints: what the grader says those hints gave away.
    hints_note: str | None = None
    # Coding answers whose code ran: what the tests found (the feedback shows it).
    tests: RunEvidence | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; `from_dict` reads it back (the store keeps it as detail JSON)."""
        return {
            "overall": self.overall,
            "max": self.max,
            "grader": self.grader,
            "model": self.model,
            "prompt_version": self.prompt_version,
            "approximate": self.approximate,
            "language": self.language,
            "injection_attempt": self.injection_attempt,
            "criteria": [
                {
                    "name": c.name,
                    "score": c.score,
                    "max": c.max,
                    "weight": c.weight,
                    "evidence": c.evidence,
                    "comment": c.comment,
                }
                for c in self.criteria
            ],
            "strengths": list(self.strengths),
            "improvements": list(self.improvements),
            "strong_answer_adds": list(self.strong_answer_adds),
            "star": None
            if self.star is None
            else {
                "situation": self.star.situation,
                "task": self.star.task,
                "action": self.star.action,
                "result": self.star.result,
                "ownership": self.star.ownership,
            },
            "hiring_signal": self.hiring_signal,
            "hiring_reasons": list(self.hiring_reasons),
            "hints_note": self.hints_note,
            "tests": None if self.tests is None else self.tests.to_dict(),
            "usage": None
            if self.usage is None
            else {
                "input_tokens": self.usage.input_tokens,
                "output_tokens": self.usage.output_tokens,
                "cache_read_tokens": self.usage.cache_read_tokens,
                "cache_write_tokens": self.usage.cache_write_tokens,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Grade:
        star = data.get("star")
        usage = data.get("usage")
        signal = data.get("hiring_signal")
        return cls(
            overall=float(data["overall"]),
            max=int(data["max"]),
            grader=str(data["grader"]),
            model=data.get("model"),
            prompt_version=str(data.get("prompt_version", "")),
            criteria=tuple(
                CriterionScore(
                    name=str(c["name"]),
                    score=float(c["score"]),
                    max=int(c.get("max", MAX_SCORE)),
                    weight=int(c.get("weight", 1)),
                    evidence=c.get("evidence"),
                    comment=str(c.get("comment", "")),
                )
                for c in data.get("criteria", ())
            ),
            strengths=tuple(data.get("strengths", ())),
            improvements=tuple(data.get("improvements", ())),
            strong_answer_adds=tuple(data.get("strong_answer_adds", ())),
            star=None if not star else StarBreakdown(**star),
            injection_attempt=bool(data.get("injection_attempt", False)),
            approximate=bool(data.get("approximate", False)),
            language=str(data.get("language", "en")),
            usage=None if not usage else Usage(**usage),
            hiring_signal=signal if signal in HIRING_SIGNALS else None,
            hiring_reasons=tuple(data.get("hiring_reasons", ())),
            hints_note=data.get("hints_note") or None,
            tests=RunEvidence.from_dict(data["tests"]) if data.get("tests") else None,
        )


def follow_tests(
    grade: Grade, tests: RunEvidence | None, *, ceiling: float, band: float | None
) -> Grade:
    """The grade with its criteria about the code following the tests (see `tested_score`)."""
    if tests is None:
        return grade
    criteria = []
    for c in grade.criteria:
        score = round_half_up(tested_score(c.name, c.score, tests, ceiling=ceiling, band=band))
        if score != c.score:
            c = replace(c, score=score, comment=f"{c.comment} {tests_comment(tests)}".strip())
        criteria.append(c)
    return replace(grade, criteria=tuple(criteria), overall=overall_of(criteria), tests=tests)


def round_half_up(value: float, places: int = 1) -> float:
    """Round like people do (3.85 -> 3.9), not banker's rounding on a binary float."""
    # Going through a 9-place string first absorbs float noise such as 3.8499999999999996.
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(f"{value:.9f}").quantize(quantum, rounding=ROUND_HALF_UP))


def weighted_overall(scores: Sequence[float], weights: Sequence[int]) -> float:
    """The weight-averaged score, rounded to one decimal; 0.0 for an empty rubric."""
    if len(scores) != len(weights):
        raise ValueError("scores and weights must have the same length")
    total_weight = sum(weights)
    if total_weight <= 0:
        return 0.0
    return round_half_up(sum(s * w for s, w in zip(scores, weights, strict=True)) / total_weight)


def overall_of(criteria: Iterable[CriterionScore]) -> float:
    items = list(criteria)
    return weighted_overall([c.score for c in items], [c.weight for c in items])


def clamp_score(value: float, low: float = 0.0, high: float = float(MAX_SCORE)) -> float:
    """Pin a model's score into range: the API does not enforce numeric bounds in schemas."""
    if math.isnan(value):
        return low
    return min(high, max(low, float(value)))


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "`": "'"})
_ELLIPSIS = re.compile(r"\.\.\.|…")


def normalise_text(text: str) -> str:
    """Case-, whitespace- and quote-insensitive form used to compare quotes with answers."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


def evidence_in_answer(evidence: str | None, answer: str) -> bool:
    """Whether a quoted piece of evidence really comes from the answer.

    Models paraphrase and invent quotes; only a quote that appears in the answer (ignoring case,
    whitespace and typographic quotes) is shown to the member. An ellipsis may join fragments,
    which must then appear in order.
    """
    if not evidence:
        return False
    haystack = normalise_text(answer)
    fragments = [
        f.strip(" \"'") for f in _ELLIPSIS.split(normalise_text(evidence)) if f.strip(" \"'")
    ]
    if not fragments or sum(len(f) for f in fragments) < 3:
        return False
    position = 0
    for fragment in fragments:
        found = haystack.find(fragment, position)
        if found < 0:
            return False
        position = found + len(fragment)
    return True


def neutralise_closing_tag(answer: str, tag: str) -> str:
    """Defang every `</tag...` variant (any case, spacing or suffix) inside untrusted text.

    The candidate's answer is wrapped in `<tag-NONCE>...</tag-NONCE>`; a copy of a closing tag in
    the answer could otherwise end the data early and smuggle text out as instructions. The `<`
    becomes a look-alike so the member's text stays readable.
    """
    pattern = re.compile(r"<(\s*/\s*" + re.escape(tag) + ")", re.IGNORECASE)
    return pattern.sub(r"‹\1", answer)


_INJECTION_PATTERNS: Final = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(ignore|disregard|forget)\b.{0,40}\b(instruction|prompt|rubric|rules)s?\b",
        r"\b(give|award|assign)\b.{0,30}\b(full|maximum|max|perfect|top)\s+(marks|score|points)\b",
        r"\bgrader\s*(note|instruction|override)\b",
        r"\b(score|grade|rate)\b.{0,20}\b5\s*/\s*5\b",
        r"\b(system|developer)\s*(prompt|message|note)\s*:",
        r"</?\s*answer",
        r"\byou are (now )?(the|a) (grader|assistant|model)\b",
    )
)


def looks_like_injection(answer: str) -> bool:
    """A cheap local check for text addressed to the grader rather than the interviewer.

    It complements the model's own `injection_attempt` flag; it never changes a score by itself.
    """
    return any(p.search(answer) for p in _INJECTION_PATTERNS)


def hiring_signal_for(overall: float) -> HiringSignal:
    """Map an overall 0..5 score onto the committee's six-step scale."""
    if overall >= 4.3:
        return "strong yes"
    if overall >= 3.6:
        return "yes"
    if overall >= 3.0:
        return "lean yes"
    if overall >= 2.3:
        return "lean no"
    if overall >= 1.5:
        return "no"
    return "strong no"
