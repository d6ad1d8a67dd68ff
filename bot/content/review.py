"""Rules a question must meet so that it tests the candidate instead of handing over the answer.

The candidate-facing text (title, prompt, clarification answers) must not say what is graded, quote
the rubric or name the technique the question's tags say it is after; the hints together may give
away at most 40% of the rubric's signals, and the first hint asks a question back; numbers agree
with facts.yaml and retired product names are not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from bot.content.facts import FactSheet, contradictions
from bot.content.schema import Question
from bot.domain.signals import signal_target, signals_in

# Phrases that tell the candidate what the interviewer grades: they belong in the rubric and notes.
GRADING_LANGUAGE: Final = (
    r"probing for",
    r"strong answers?",
    r"good answers?",
    r"great answers?",
    r"we(?:'re| are)? look(?:ing)? for",
    r"(?:the )?interviewer (?:is|will be) (?:probing|looking|listening|checking)",
    r"interviewer wants",
    r"expect the interviewer",
    r"cover\s*:",
    r"address\s*:",
    r"explain\s*:",
    r"be sure to (?:cover|mention|discuss)",
    r"rubric",
    r"(?:is|are|will be) graded",
)
_GRADING: Final = re.compile(r"(?<!\w)(?:" + "|".join(GRADING_LANGUAGE) + r")", re.IGNORECASE)

# Tags that name a technique, with the words that name it in text. A tag not listed here names a
# topic (`graphs`, `home-feed`) or the thing to build (`lru-cache`), which a prompt may mention.
TECHNIQUE_TAGS: Final[dict[str, tuple[str, ...]]] = {
    "ann": ("approximate nearest neighbor", "approximate nearest neighbour", "ANN"),
    "bellman-ford": ("Bellman-Ford",),
    "bfs": ("BFS", "breadth-first", "breadth first"),
    "binary-lifting": ("binary lifting",),
    "binary-search": ("binary search",),
    "binary-search-on-answer": ("binary search",),
    "bit-manipulation": ("bit manipulation", "bitmask", "XOR"),
    "bloom-filter": ("Bloom filter",),
    "consistent-hashing": ("consistent hashing",),
    "contrastive-learning": ("contrastive",),
    "count-min-sketch": ("count-min", "count min sketch"),
    "dfs": ("DFS", "depth-first", "depth first"),
    "dijkstra": ("Dijkstra",),
    "dynamic-programming": ("dynamic programming", "memoization", "memoisation"),
    "edit-distance": ("edit distance", "Levenshtein"),
    "faiss": ("FAISS",),
    "flood-fill": ("flood fill", "flood-fill"),
    "greedy": ("greedy",),
    "heap": ("heap", "priority queue"),
    "hnsw": ("HNSW",),
    "k-way-merge": ("k-way merge",),
    "kahn": ("Kahn",),
    "kosaraju": ("Kosaraju",),
    "lca": ("lowest common ancestor", "LCA"),
    "low-link": ("low-link", "lowlink"),
    "lsh": ("LSH", "locality-sensitive", "locality sensitive"),
    "min-heap": ("min-heap", "min heap", "priority queue"),
    "monotonic-stack": ("monotonic stack",),
    "multi-index-hashing": ("multi-index hashing",),
    "perceptual-hashing": ("perceptual hash", "pHash", "dHash"),
    "pigeonhole": ("pigeonhole",),
    "pinsage": ("PinSage",),
    "pixie": ("Pixie",),
    "post-order": ("post-order", "postorder"),
    "prefix-sum": ("prefix sum",),
    "prefix-sums": ("prefix sum",),
    "prefix-tree": ("prefix tree", "trie"),
    "product-quantization": ("product quantization", "product quantisation"),
    "quickselect": ("quickselect", "quick select"),
    "random-walk": ("random walk",),
    "rerooting": ("rerooting", "re-rooting"),
    "reservoir-sampling": ("reservoir sampling",),
    "segment-tree": ("segment tree",),
    "sliding-window": ("sliding window", "sliding-window"),
    "sparse-table": ("sparse table",),
    "strongly-connected-components": ("strongly connected component", "SCC"),
    "tarjan": ("Tarjan",),
    "topological-sort": ("topological",),
    "trie": ("trie",),
    "two-coloring": ("two-coloring", "two-colouring", "2-coloring"),
    "two-heaps": ("two heaps",),
    "two-pointers": ("two pointers", "two-pointer"),
    "two-tower": ("two-tower", "two tower"),
    "union-find": ("union-find", "union find", "disjoint set", "disjoint-set"),
}

HINT_SHARE_LIMIT: Final = 0.4
# Design rounds open with a short brief; scale and constraints come when the candidate asks.
BRIEF_ROUNDS: Final = frozenset({"system_design", "ml_design"})
BRIEF_MAX_CHARS: Final = 900
MIN_CLARIFICATIONS: Final = 3
# A prompt that repeats this many consecutive words of a rubric line quotes the rubric.
QUOTE_WORDS: Final = 6

PENDING_PATH: Final = Path(__file__).resolve().parent / "pending-review.txt"


def pending_review(path: Path = PENDING_PATH) -> frozenset[str]:
    """Questions written before these rules, waiting for their rewrite (shrinks to nothing)."""
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(s for line in lines if (s := line.split("#")[0].strip()))


def candidate_text(question: Question) -> str:
    """Everything a member may see before the reveal."""
    parts = [question.title, question.prompt]
    parts += [f"{c.ask}\n{c.answer}" for c in question.clarifications]
    return "\n".join(parts)


def interviewer_text(question: Question) -> str:
    parts = [candidate_text(question), question.notes or "", question.reference_outline]
    parts += question.hints + question.follow_ups
    for criterion in question.rubric:
        parts += [criterion.name, criterion.strong, criterion.weak]
    return "\n".join(parts)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def _shingles(words: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def _named(text: str, names: Iterable[str]) -> str | None:
    for name in names:
        flags = 0 if name.isupper() else re.IGNORECASE
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, flags):
            return name
    return None


def grading_language(text: str) -> list[str]:
    return sorted({m.group(0).casefold() for m in _GRADING.finditer(text)})


def rubric_quotes(question: Question, text: str) -> list[str]:
    seen = _words(text)
    shown = " ".join(seen)
    found = []
    for criterion in question.rubric:
        name = _words(criterion.name)
        if len(name) >= 2 and re.search(rf"(?<!\w){' '.join(name)}(?!\w)", shown):
            found.append(f"names rubric criterion `{criterion.name}`")
            continue
        lines = _shingles(_words(f"{criterion.strong} . {criterion.weak}"), QUOTE_WORDS)
        common = lines & _shingles(seen, QUOTE_WORDS)
        if common:
            found.append(f"quotes rubric criterion `{criterion.name}`: `{' '.join(min(common))}`")
    return found


def technique_names(question: Question, text: str) -> list[str]:
    found = []
    for tag in question.tags:
        name = _named(text, TECHNIQUE_TAGS.get(tag, ()))
        if name is not None:
            found.append(f"names `{name}`, the technique of its tag `{tag}`")
    return found


def hint_share(question: Question) -> float:
    """How much of the rubric the hints, read together, cover: each criterion's share of its
    signals (up to its target), weighted as the rubric weighs the criteria."""
    hints = "\n".join(question.hints)
    covered = total = 0.0
    for criterion in question.rubric:
        found = len(signals_in(criterion.signals, hints))
        covered += criterion.weight * min(1.0, found / signal_target(len(criterion.signals)))
        total += criterion.weight
    return covered / total


def review_question(question: Question, facts: FactSheet) -> list[str]:
    """Every rule the question breaks, as short messages; empty when it passes."""
    shown = candidate_text(question)
    problems = [
        f"candidate-facing text uses grading language `{p}`" for p in grading_language(shown)
    ]
    problems += [f"candidate-facing text {p}" for p in rubric_quotes(question, shown)]
    problems += [f"candidate-facing text {p}" for p in technique_names(question, shown)]
    share = hint_share(question)
    if share > HINT_SHARE_LIMIT:
        problems.append(
            f"hints together contain {share:.0%} of the rubric's signals (at most "
            f"{HINT_SHARE_LIMIT:.0%}): one idea per hint, a nudge, not the answer"
        )
    if "?" not in question.hints[0]:
        problems.append("the first hint should ask the candidate a question back")
    problems += _shape(question)
    problems += contradictions(interviewer_text(question), facts)
    return problems


def _shape(question: Question) -> list[str]:
    problems = []
    if question.notes is None:
        problems.append("no `notes`: tell the interviewer what the question is after")
    if question.round in BRIEF_ROUNDS:
        if len(question.prompt) > BRIEF_MAX_CHARS:
            problems.append(
                f"the prompt is {len(question.prompt)} characters; a design brief is at most "
                f"{BRIEF_MAX_CHARS}: move scale and constraints into `clarifications`"
            )
        if len(question.clarifications) < MIN_CLARIFICATIONS:
            problems.append(
                f"{len(question.clarifications)} clarifications; a design question has at least "
                f"{MIN_CLARIFICATIONS} (scale, constraints, product facts) for the candidate to ask"
            )
    return problems
