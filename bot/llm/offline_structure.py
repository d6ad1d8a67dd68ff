"""The shape of a strong answer in each round, read from the answer's prose and code.

Every round asks for reasoning, not only vocabulary: relations between claims (connectives),
trade-offs given with their reason, and numbers with units. Features are read from the units
the answer wrote itself (see `offline_text`), never from keyword lists, filler or copied text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from bot.content.schema import Round
from bot.domain.grading import StarBreakdown
from bot.i18n.messages import tr
from bot.llm.offline_text import CONNECTIVES, Unit

_COMPLEXITY: Final = re.compile(r"\bO\(\s*[^)]{1,20}\)", re.IGNORECASE)
NUMBERS_WITH_UNITS: Final = re.compile(
    r"\b\d[\d,.]*\s*(?:k|m|b|%|ms|s|qps|rps|gb|tb|pb|mb|million|billion|thousand|x|"
    r"minutes?|hours?|days?|weeks?|months?|users?|requests?|bytes?)\b",
    re.IGNORECASE,
)
_TRADEOFF: Final = re.compile(
    r"\b(?:trade-?offs?|instead of|rather than|versus|vs\.?|downside|at the cost of)\b", re.I
)
_METRICS: Final = re.compile(
    r"\b(?:precision|recall|auc|ndcg|map@?\d*|ctr|f1|log ?loss|a/b|online metric|offline metric|"
    r"calibration|recall@\d+)\b",
    re.IGNORECASE,
)
_TESTING: Final = re.compile(
    r"\b(?:example|test(?:s|ed|ing)?|edge cases?|walk through|dry run)\b", re.I
)
STAR_WORDS: Final = {
    "situation": re.compile(r"\b(?:situation|context|background|at the time|back when)\b", re.I),
    "task": re.compile(r"\b(?:task|goal|my job|responsib\w+|needed to|had to|asked to)\b", re.I),
    "action": re.compile(
        r"\b(?:action|i (?:decided|built|wrote|proposed|led|set up|started|created|scheduled|"
        r"reached out|talked|met|changed|added|pushed|owned|took))\b",
        re.IGNORECASE,
    ),
    "result": re.compile(
        r"\b(?:result|outcome|in the end|as a result|reduced|increased|improved|cut|saved|"
        r"shipped|launched)\b|\d+\s*%",
        re.IGNORECASE,
    ),
}
_I_WORDS: Final = re.compile(r"\b(?:i|i'm|i've|i'd|me|my)\b", re.IGNORECASE)
_WE_WORDS: Final = re.compile(r"\b(?:we|we're|we've|our|us)\b", re.IGNORECASE)


def reasoned_tradeoff(units: Sequence[Unit]) -> bool:
    """A trade-off named together with why: the sentence relates at least two claims."""
    return any(
        u.kind == "prose" and _TRADEOFF.search(u.text) and len(CONNECTIVES.findall(u.text)) >= 2
        for u in units
    )


def structure_score(round_: Round, units: Sequence[Unit], reasoning: int, words: float) -> float:
    """0..1: how much the answer has the shape a strong answer in this round tends to have.

    `reasoning` counts connectives in sentences about the question, `words` the answer's
    substantive words.
    """
    prose = "\n".join(u.text for u in units if u.kind == "prose")
    written = "\n".join(u.text for u in units if u.kind != "list")
    features: list[bool]
    if round_ == "coding":
        features = [
            any(u.kind == "code" for u in units),
            bool(_COMPLEXITY.search(written)),
            bool(_TESTING.search(prose)),
            reasoning >= 3,
        ]
    elif round_ in ("system_design", "ml_design"):
        numbers = len(NUMBERS_WITH_UNITS.findall(written)) >= 2
        metrics = len({m.group(0).casefold() for m in _METRICS.finditer(prose)}) >= 2
        features = [
            metrics if round_ == "ml_design" else numbers,
            reasoned_tradeoff(units),
            reasoning >= 4,
            words >= 150,
        ]
    elif round_ == "recruiter_screen":
        features = [
            bool(_I_WORDS.search(prose)),
            "?" in prose,
            len(NUMBERS_WITH_UNITS.findall(prose)) >= 1,
            40 <= words <= 600,
        ]
    else:
        i_count, we_count = len(_I_WORDS.findall(prose)), len(_WE_WORDS.findall(prose))
        features = [
            *(bool(p.search(prose)) for p in STAR_WORDS.values()),
            i_count > we_count,
            reasoning >= 3,
        ]
    return sum(features) / len(features)


def star_breakdown(text: str, locale: str | None = None) -> StarBreakdown:
    """The STAR parts as the answer says them; the grader's own words in `locale`."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]

    def find(part: str) -> str:
        for sentence in sentences:
            if STAR_WORDS[part].search(sentence):
                return sentence[:200]
        return tr(locale, "Not clearly stated.")

    i_count, we_count = len(_I_WORDS.findall(text)), len(_WE_WORDS.findall(text))
    if i_count == 0 and we_count == 0:
        ownership = tr(locale, "No clear owner: say what you personally did.")
    elif i_count >= 2 * max(we_count, 1):
        # i18n: counts of the pronouns "I" and "we" in an English answer ({i}x: {i} times).
        ownership = tr(
            locale, "Clear personal ownership ('I' {i}x, 'we' {we}x).", i=i_count, we=we_count
        )
    elif i_count > we_count:
        # i18n: counts of the pronouns "I" and "we" in an English answer ({i}x: {i} times).
        ownership = tr(locale, "Mostly personal ('I' {i}x, 'we' {we}x).", i=i_count, we=we_count)
    else:
        # i18n: counts of the pronouns "I" and "we" in an English answer ({i}x: {i} times).
        ownership = tr(
            locale,
            "Mostly 'we' ('I' {i}x, 'we' {we}x): make your own part explicit.",
            i=i_count,
            we=we_count,
        )
    return StarBreakdown(
        situation=find("situation"),
        task=find("task"),
        action=find("action"),
        result=find("result"),
        ownership=ownership,
    )
