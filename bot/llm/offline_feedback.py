"""The offline grader's words to the member: evidence quoted from the answer, outline points missed.

Also the question's own vocabulary (`terms`), which tells a sentence about the question from
filler that would fit under any question.
"""

from __future__ import annotations

import re
from typing import Final

from bot.content.schema import Question
from bot.llm.offline_text import word_set

_EVIDENCE_MAX_CHARS: Final = 160
_BULLETS: Final = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.MULTILINE)
_STOPWORDS: Final = word_set(
    """about after also and any are because been before being both but can could does each
    either every from have into its just more most must only other over same should since some
    such than that the their them then there these they this those through under until using
    very what when where which while will with within without would your"""
)
_WORD: Final = re.compile(r"[a-z][a-z0-9+]{3,}")


def terms(text: str) -> set[str]:
    """Content words of four letters or more, folded and without a plural `s`."""
    return {w.rstrip("s") for w in _WORD.findall(text.casefold()) if w not in _STOPWORDS}


def question_terms(question: Question) -> set[str]:
    """The vocabulary of the question itself: its prompt, rubric signals and reference outline."""
    signals = " ".join(s for c in question.rubric for s in c.signals)
    return terms(f"{question.prompt} {signals} {question.reference_outline}")


def evidence(text: str, match: re.Match[str]) -> str:
    """The sentence around a match, as an exact substring of the text."""
    start = max(text.rfind(sep, 0, match.start()) for sep in (". ", "\n", "! ", "? "))
    start = 0 if start < 0 else start + 1
    ends = [i for sep in (". ", "\n", "! ", "? ") if (i := text.find(sep, match.end())) >= 0]
    end = min(ends) + 1 if ends else len(text)
    if end - start > _EVIDENCE_MAX_CHARS:
        start = max(start, match.start() - _EVIDENCE_MAX_CHARS // 2)
        end = min(end, start + _EVIDENCE_MAX_CHARS)
    return text[start:end].strip()


def lower_first(text: str) -> str:
    # Keep acronyms such as "BFS" intact: only lowercase a capitalised ordinary word.
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


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
    answer_terms = terms(text)
    missing: list[str] = []
    for point in outline_points(outline):
        point_terms = terms(point)
        if point_terms and len(point_terms & answer_terms) / len(point_terms) < 0.5:
            missing.append(point)
    return missing[:limit]
