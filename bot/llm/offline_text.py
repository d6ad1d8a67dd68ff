"""Reading an answer for the offline grader: which parts are reasoning, and which only look like it.

An answer is cut into units (sentences, list lines, code). Units that add nothing a candidate
wrote themselves are dropped: text addressed to the grader, a sentence repeated, a sentence
copied from the question's prompt or hints. What is left is classed as prose (a sentence with
the grammar of an explanation), code, or a list (keywords without the words that would relate
them); only prose and code earn full credit for a rubric signal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from bot.domain.grading import looks_like_injection
from bot.domain.signals import signal_pattern

UnitKind = Literal["prose", "code", "list"]


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (long lists stay readable)."""
    return frozenset(words.split())


# The words that hold an explanation together. A keyword list has almost none of them, a sentence
# that reasons about the question has plenty (typically a third of its words or more).
_FUNCTION_WORDS: Final = word_set(
    """a an the this that these those it its it's they them their we our us i my me you your
    is are was were be been being am do does did done has have had can could will would should
    may might must shall to of in on at by for from with into onto over under about after before
    between through during per than then so if because since as when while where which who whom
    whose what why how not no nor but or and also only just each every all any both either
    neither other another such same there here up out off once again still even yet too very
    more most less least few many much some one first next last instead otherwise therefore
    thus hence although though unless until whether let lets get gets got make makes made keep
    keeps kept use uses used take takes took need needs needed"""
)
# Words that relate one claim to another: the visible part of reasoning.
CONNECTIVES: Final = re.compile(
    r"\b(?:because|since|so that|so|therefore|which means|that means|this means|otherwise|"
    r"instead of|rather than|unless|whereas|but|however|although|though|at the cost of|"
    r"in exchange|trade-?off|if|then|which (?:is|keeps|lets|makes|avoids|gives)|to avoid|"
    r"to keep|in order to|as a result|the reason|means that)\b",
    re.IGNORECASE,
)
_PROSE_MIN_WORDS: Final = 5
_PROSE_MIN_FUNCTION_SHARE: Final = 0.2
# More than one rubric signal every this many words, and a "sentence" is a keyword list.
_WORDS_PER_SIGNAL: Final = 3.5
# A unit sharing this share of its word trigrams with the prompt or a hint was copied from it.
_COPIED_SHARE: Final = 0.5

_FENCE: Final = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_CODE_LINE: Final = re.compile(
    r"^(?: {4}|\t)(?![-*•]\s|\d+[.)]\s)\S|^\s*(?:def |class |return\b|(?:for|while) .*:\s*$)"
)
_SENTENCE_SPLIT: Final = re.compile(r"(?<=[.!?])\s+(?=\S)")
_TOKEN: Final = re.compile(r"[a-z0-9][a-z0-9'+-]*", re.IGNORECASE)
_BULLET: Final = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class Unit:
    text: str
    kind: UnitKind

    @property
    def words(self) -> int:
        return len(self.text.split())


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text)]


def function_share(text: str) -> float:
    words = tokens(text)
    return sum(w in _FUNCTION_WORDS for w in words) / len(words) if words else 0.0


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = tokens(text)
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _raw_units(answer: str) -> list[tuple[str, bool]]:
    """(text, is code) in answer order: fenced blocks and code-looking lines are code."""
    out: list[tuple[str, bool]] = []
    cursor = 0
    for fence in _FENCE.finditer(answer):
        out += _line_units(answer[cursor : fence.start()])
        out.append((fence.group(0), True))
        cursor = fence.end()
    return out + _line_units(answer[cursor:])


def _line_units(text: str) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if _CODE_LINE.match(line):
            out.append((line, True))
            continue
        out += [(s.strip(), False) for s in _SENTENCE_SPLIT.split(line.strip()) if s.strip()]
    return out


def _signal_hits(text: str, signals: Sequence[str]) -> int:
    return sum(1 for s in signals if signal_pattern(s).search(text))


def skeleton(text: str, signals: Sequence[str]) -> str:
    """The unit with every rubric signal blanked out: what it says besides the keywords."""
    body = _BULLET.sub("", text)
    for signal in signals:
        body = signal_pattern(signal).sub(" _ ", body)
    return _normalised(body)


def classify(text: str, signals: Sequence[str], glue: str) -> UnitKind:
    """Prose when it reads as a sentence and says something besides rubric keywords, else a list.

    `glue` is the unit's skeleton. A sentence that names more signals than it has words of its
    own (content words other than the signals) only strings keywords together.
    """
    body = _BULLET.sub("", text)
    words = len(body.split())
    if words < _PROSE_MIN_WORDS or function_share(body) < _PROSE_MIN_FUNCTION_SHARE:
        return "list"
    hits = _signal_hits(body, signals)
    if hits > max(1.0, words / _WORDS_PER_SIGNAL):
        return "list"
    return "list" if hits > len(_own_words(glue)) else "prose"


def _normalised(text: str) -> str:
    return " ".join(tokens(text))


def answer_units(answer: str, signals: Sequence[str], copied_sources: Iterable[str]) -> list[Unit]:
    """The answer's own units: no grader-directed text, no repeats, nothing copied back."""
    source_grams: set[tuple[str, ...]] = set()
    for source in copied_sources:
        source_grams |= _trigrams(source)
    seen: set[str] = set()
    skeletons: set[str] = set()
    units: list[Unit] = []
    for text, is_code in _raw_units(answer):
        key = _normalised(text)
        if not key or key in seen or looks_like_injection(text):
            continue
        seen.add(key)
        grams = _trigrams(text)
        if grams and len(grams & source_grams) / len(grams) >= _COPIED_SHARE:
            continue
        if is_code:
            units.append(Unit(text, "code"))
            continue
        # The same sentence again with other keywords in it is a template, not a new thought.
        glue = skeleton(text, signals)
        kind = "list" if glue in skeletons else classify(text, signals, glue)
        skeletons.add(glue)
        units.append(Unit(text, kind))
    return units


def _own_words(text: str) -> set[str]:
    return {w for w in tokens(text) if len(w) > 3 and w not in _FUNCTION_WORDS}


def vocabulary_ratio(units: Iterable[Unit], signals: Sequence[str]) -> float:
    """Distinct words of the prose's own per distinct rubric signal it names.

    An explanation brings its own vocabulary (the question's entities, mechanisms, numbers): a
    few content words for every rubric term. Keywords glued into sentences with a handful of
    stock phrases reuse the same few words for every signal.
    """
    own: set[str] = set()
    named: set[str] = set()
    for unit in units:
        if unit.kind == "prose":
            own |= _own_words(skeleton(unit.text, signals))
            named |= {s for s in signals if signal_pattern(s).search(unit.text)}
    return len(own) / len(named) if named else float("inf")
