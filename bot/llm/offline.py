"""The offline grader: deterministic rubric coverage from each criterion's `signals`.

It is what runs without an API key (and in the demo). It cannot judge correctness, only whether an
answer talks about what the rubric asks for, so every grade it makes is labelled approximate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from bot.content.schema import Criterion, Question, Round
from bot.domain.grading import (
    MAX_SCORE,
    CriterionScore,
    Grade,
    StarBreakdown,
    hiring_signal_for,
    looks_like_injection,
    overall_of,
    round_half_up,
)
from bot.domain.signals import signal_pattern, signal_target
from bot.llm.base import (
    PHASE_LAST_ANSWER,
    PHASE_OPENING,
    PHASE_WRAP_UP,
    Transcript,
    candidate_turns,
)
from bot.llm.usage import Operation

PROMPT_VERSION: Final = "offline-v1"

# Very short answers cannot be strong however many keywords they drop: (words below, cap).
_LENGTH_CAPS: Final = ((25, 1.5), (50, 2.5), (90, 3.5), (140, 4.3))
# A real attempt (not a one-liner) earns a small floor, rubric coverage earns most of a criterion's
# score and round-specific structure the rest. The total tops out at 4.5, not 5: matching keywords
# cannot show that an answer is correct, so the offline grader never awards full marks.
_ATTEMPT_WORDS: Final = 20
_ATTEMPT_FLOOR: Final = 0.5
_COVERAGE_SHARE: Final = 3.6
_STRUCTURE_SHARE: Final = 0.4
OFFLINE_CEILING: Final = _ATTEMPT_FLOOR + _COVERAGE_SHARE + _STRUCTURE_SHARE
_EVIDENCE_MAX_CHARS: Final = 160

WRAP_UP_PROMPT: Final = (
    "We're close to time. Before we wrap up: is there anything you'd revisit or add to your "
    "answer? When you're done, use /mock end to get your scorecard."
)

LAST_ANSWER_REPLY: Final = (
    "Thank you, that was your last answer in this round. Use /mock end to get your scorecard."
)


def matched_signals(criterion: Criterion, text: str) -> list[tuple[str, re.Match[str]]]:
    """Distinct signals found in the text, in rubric order, with their first match."""
    found: list[tuple[str, re.Match[str]]] = []
    for signal in criterion.signals:
        match = signal_pattern(signal).search(text)
        if match is not None:
            found.append((signal, match))
    return found


def length_cap(words: int) -> float:
    for limit, cap in _LENGTH_CAPS:
        if words < limit:
            return cap
    return float(MAX_SCORE)


_BULLETS = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.MULTILINE)
_COMPLEXITY = re.compile(r"\bO\(\s*[^)]{1,20}\)", re.IGNORECASE)
_CODE = re.compile(
    r"```|^(?: {4}|\t)\S|\b(?:def|return|while|for)\b.*[:{]\s*$", re.MULTILINE | re.IGNORECASE
)
_NUMBERS_WITH_UNITS = re.compile(
    r"\b\d[\d,.]*\s*(?:k|m|b|%|ms|s|qps|rps|gb|tb|pb|mb|million|billion|thousand|x)\b",
    re.IGNORECASE,
)
_TRADEOFF = re.compile(r"\b(?:trade-?offs?|instead of|rather than|versus|vs\.?|downside)\b", re.I)
_METRICS = re.compile(
    r"\b(?:precision|recall|auc|ndcg|map@?\d*|ctr|f1|log ?loss|a/b|online metric|offline metric)\b",
    re.IGNORECASE,
)
_TESTING = re.compile(r"\b(?:example|test(?:s|ed|ing)?|edge cases?|walk through|dry run)\b", re.I)
_STAR_WORDS: Final = {
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
_I_WORDS = re.compile(r"\b(?:i|i'm|i've|i'd|me|my)\b", re.IGNORECASE)
_WE_WORDS = re.compile(r"\b(?:we|we're|we've|our|us)\b", re.IGNORECASE)


def structure_score(round_: Round, text: str) -> float:
    """0..1: how much the answer has the shape a strong answer in this round tends to have."""
    words = len(text.split())
    features: list[bool]
    if round_ == "coding":
        features = [
            bool(_CODE.search(text)),
            bool(_COMPLEXITY.search(text)),
            bool(_TESTING.search(text)),
            bool(_BULLETS.search(text)) or text.count("\n") >= 3,
        ]
    elif round_ == "system_design":
        features = [
            len(_BULLETS.findall(text)) >= 3 or text.count("\n\n") >= 2,
            len(_NUMBERS_WITH_UNITS.findall(text)) >= 2,
            bool(_TRADEOFF.search(text)),
            words >= 150,
        ]
    elif round_ == "ml_design":
        features = [
            len(_BULLETS.findall(text)) >= 3 or text.count("\n\n") >= 2,
            len(set(m.group(0).casefold() for m in _METRICS.finditer(text))) >= 2,
            bool(_TRADEOFF.search(text)),
            words >= 150,
        ]
    elif round_ == "recruiter_screen":
        features = [
            bool(_I_WORDS.search(text)),
            "?" in text,
            len(_NUMBERS_WITH_UNITS.findall(text)) >= 1,
            40 <= words <= 600,
        ]
    else:
        i_count, we_count = len(_I_WORDS.findall(text)), len(_WE_WORDS.findall(text))
        features = [
            *(bool(p.search(text)) for p in _STAR_WORDS.values()),
            i_count > we_count,
        ]
    return sum(features) / len(features)


def _evidence(text: str, match: re.Match[str]) -> str:
    """The sentence around a match, as an exact substring of the answer."""
    start = max(text.rfind(sep, 0, match.start()) for sep in (". ", "\n", "! ", "? "))
    start = 0 if start < 0 else start + 1
    ends = [i for sep in (". ", "\n", "! ", "? ") if (i := text.find(sep, match.end())) >= 0]
    end = min(ends) + 1 if ends else len(text)
    if end - start > _EVIDENCE_MAX_CHARS:
        start = max(start, match.start() - _EVIDENCE_MAX_CHARS // 2)
        end = min(end, start + _EVIDENCE_MAX_CHARS)
    return text[start:end].strip()


def _lower_first(text: str) -> str:
    # Keep acronyms such as "BFS" intact: only lowercase a capitalised ordinary word.
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


_STOPWORDS: Final = frozenset(
    [
        "about",
        "after",
        "also",
        "and",
        "any",
        "are",
        "because",
        "been",
        "before",
        "being",
        "both",
        "but",
        "can",
        "could",
        "does",
        "each",
        "either",
        "every",
        "from",
        "have",
        "into",
        "its",
        "just",
        "more",
        "most",
        "must",
        "only",
        "other",
        "over",
        "same",
        "should",
        "since",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "using",
        "very",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "within",
        "without",
        "would",
        "your",
    ]
)
_WORD = re.compile(r"[a-z][a-z0-9+]{3,}")


def _terms(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.casefold()) if w not in _STOPWORDS}


def outline_points(outline: str) -> list[str]:
    """The reference outline's bullets (continuation lines joined), or its sentences."""
    points: list[str] = []
    for line in outline.splitlines():
        if not line.strip():
            continue
        if _BULLETS.match(line):
            points.append(_BULLETS.sub("", line, count=1).strip())
        elif points:
            points[-1] = f"{points[-1]} {line.strip()}"
        else:
            points.append(line.strip())
    if len(points) <= 1:
        points = [s.strip() for s in re.split(r"(?<=[.!?])\s+", outline) if s.strip()]
    return points


def uncovered_points(outline: str, text: str, limit: int = 3) -> list[str]:
    answer_terms = _terms(text)
    missing: list[str] = []
    for point in outline_points(outline):
        terms = _terms(point)
        if terms and len(terms & answer_terms) / len(terms) < 0.5:
            missing.append(point)
    return missing[:limit]


_SENTENCE_BREAK = re.compile(r"((?<=[.!?])[ \t]+|\n+)")


def strip_injection_sentences(answer: str) -> str:
    """Drop sentences addressed to the grader: they are not part of the answer's substance.

    Only the offending sentence goes, so an instruction slipped into the middle of a paragraph
    neither earns nor costs the rest of that paragraph anything.
    """
    parts = [*_SENTENCE_BREAK.split(answer), ""]  # sentence, break, sentence, ..., break
    sentences, breaks = parts[::2], parts[1::2]
    return "".join(
        sentence + gap
        for sentence, gap in zip(sentences, breaks, strict=True)
        if not looks_like_injection(sentence)
    )


def _star_breakdown(text: str) -> StarBreakdown:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]

    def find(part: str) -> str:
        for sentence in sentences:
            if _STAR_WORDS[part].search(sentence):
                return sentence[:200]
        return "Not clearly stated."

    i_count, we_count = len(_I_WORDS.findall(text)), len(_WE_WORDS.findall(text))
    if i_count == 0 and we_count == 0:
        ownership = "No clear owner: say what you personally did."
    elif i_count >= 2 * max(we_count, 1):
        ownership = f"Clear personal ownership ('I' {i_count}x, 'we' {we_count}x)."
    elif i_count > we_count:
        ownership = f"Mostly personal ('I' {i_count}x, 'we' {we_count}x)."
    else:
        ownership = f"Mostly 'we' ('I' {i_count}x, 'we' {we_count}x): make your own part explicit."
    return StarBreakdown(
        situation=find("situation"),
        task=find("task"),
        action=find("action"),
        result=find("result"),
        ownership=ownership,
    )


@dataclass(frozen=True)
class _Scored:
    criterion: Criterion
    score: CriterionScore
    coverage: float


class OfflineGrader:
    """Keyword-coverage grading: honest about what it is, deterministic, free and instant."""

    name = "offline"
    approximate = True

    def _score(self, question: Question, answer: str) -> tuple[list[_Scored], str]:
        text = strip_injection_sentences(answer)
        words = len(text.split())
        cap = length_cap(words)
        structure = structure_score(question.round, text)
        scored: list[_Scored] = []
        for criterion in question.rubric:
            found = matched_signals(criterion, text)
            target = signal_target(len(criterion.signals))
            coverage = min(1.0, len(found) / target)
            floor = _ATTEMPT_FLOOR if words >= _ATTEMPT_WORDS else 0.0
            raw = floor + _COVERAGE_SHARE * coverage + _STRUCTURE_SHARE * structure
            value = round_half_up(min(cap, raw))
            if found:
                names = ", ".join(s for s, _ in found[:5])
                comment = f"Mentions {names} ({len(found)} of {len(criterion.signals)} signals)."
            else:
                comment = "No sign of this criterion in the answer."
            if raw > cap:
                comment += f" Short answer: capped at {cap:g}."
            scored.append(
                _Scored(
                    criterion,
                    CriterionScore(
                        name=criterion.name,
                        score=value,
                        max=MAX_SCORE,
                        weight=criterion.weight,
                        evidence=_evidence(text, found[0][1]) if found else None,
                        comment=comment,
                    ),
                    coverage,
                )
            )
        return scored, text

    async def grade(
        self,
        question: Question,
        answer: str,
        *,
        locale: str | None = None,
        hints: Sequence[str] = (),
    ) -> Grade:
        scored, text = self._score(question, answer)
        criteria = tuple(s.score for s in scored)
        strengths = [f"{s.criterion.name}: well covered." for s in scored if s.score.score >= 3.5][
            :3
        ]
        weakest = sorted(scored, key=lambda s: (s.score.score, -s.criterion.weight))
        improvements = [
            f"{s.criterion.name}: a strong answer {_lower_first(s.criterion.strong)}"
            for s in weakest
            if s.score.score < 3.0
        ][:3]
        return Grade(
            overall=overall_of(criteria),
            max=MAX_SCORE,
            grader=self.name,
            model=None,
            prompt_version=PROMPT_VERSION,
            criteria=criteria,
            strengths=tuple(strengths),
            improvements=tuple(improvements),
            strong_answer_adds=tuple(uncovered_points(question.reference_outline, text)),
            star=_star_breakdown(text) if question.round == "behavioral" else None,
            injection_attempt=looks_like_injection(answer),
            approximate=True,
            language="en",  # it cannot write in other languages; the feedback says so
            usage=None,
        )

    async def grade_transcript(
        self,
        question: Question,
        transcript: Transcript,
        *,
        locale: str | None = None,
        operation: Operation = "scorecard",
    ) -> Grade:
        grade = await self.grade(question, "\n\n".join(candidate_turns(transcript)), locale=locale)
        reasons = [f"Strength: {s}" for s in grade.strengths[:2]]
        reasons += [f"Gap: {c.name}" for c in grade.criteria if c.score < 2.5][:2]
        if not reasons:
            reasons = ["Covered the rubric unevenly; see the per-criterion scores."]
        return replace(
            grade, hiring_signal=hiring_signal_for(grade.overall), hiring_reasons=tuple(reasons)
        )

    async def interview_turn(
        self,
        question: Question,
        transcript: Transcript,
        *,
        phase: str | None,
        locale: str | None = None,
    ) -> str:
        """Follow-ups in pack order, one per candidate turn so far, then a wrap-up."""
        turns = len(candidate_turns(transcript))
        normalised = (phase or "").replace("-", "_").casefold()
        if normalised == PHASE_OPENING or (turns == 0 and normalised != PHASE_WRAP_UP):
            return (
                f"**{question.title}**\n\n{question.prompt}\n\n"
                "Take a minute to ask clarifying questions, then walk me through your approach."
            )
        if normalised == PHASE_LAST_ANSWER:
            return LAST_ANSWER_REPLY
        if normalised == PHASE_WRAP_UP or turns > len(question.follow_ups):
            return WRAP_UP_PROMPT
        return question.follow_ups[turns - 1]

    async def aclose(self) -> None:
        return None
