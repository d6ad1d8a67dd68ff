"""Progress from graded answers: averages per round, trends per rubric theme, and the practice
question that aims at a member's weakest themes.

Rubric criteria are written per question ("Capacity and hot-key analysis", "Quantified result"),
so a member's scores are grouped into themes by keywords in the criterion names; a name no theme
claims is its own theme.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Final, Literal

from bot.domain.streaks import month_key, week_key

SCALE: Final = 5.0
WEAK_THEMES: Final = 3
# Fewer scores than this say little about a trend.
TREND_MIN_SAMPLES: Final = 4

_BEHAVIORAL_ONLY: Final = frozenset({"STAR results", "ownership", "reflection"})
# First match wins, so the specific themes come before the broad ones.
THEMES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        "capacity estimates",
        ("capacity", "estimate", "sizing", "memory math", "arithmetic", "bandwidth", "throughput"),
    ),
    ("complexity", ("complexity",)),
    (
        "edge cases",
        ("edge case", "overflow", "off-by-one", "boundar", "negative", "zeros", "tie-break"),
    ),
    ("tests and walkthroughs", ("test", "walkthrough", "trace", "verification")),
    ("correctness arguments", ("correct", "proof", "why ")),
    ("STAR results", ("result", "impact", "outcome", "quantified", "measur", "growth")),
    ("ownership", ("ownership", "personal", "accountab")),
    ("reflection", ("reflection", "learning", "lesson")),
    (
        "communication",
        (
            "communicat",
            "explanation",
            "making the case",
            "case made",
            "concise",
            "brief",
            "brevity",
            "direct answer",
            "plain",
            "clear",
        ),
    ),
    ("trade-offs", ("trade-off", "alternative", "versus")),
    ("evaluation and metrics", ("evaluation", "metric", "experiment", "a/b", "calibration")),
    ("labels and training data", ("label", "training", "sampling", "leakage")),
    ("latency and serving", ("latency", "serving", "cach")),
    ("storage and data model", ("storage", "data model", "schema", "partition", "shard", "index")),
    (
        "reliability and operations",
        ("failure", "reliab", "failover", "monitor", "alert", "degradation", "operations"),
    ),
    ("pipelines and freshness", ("pipeline", "freshness", "streaming", "ingestion", "backfill")),
    ("features and modelling", ("feature", "model", "architecture", "embedding")),
    (
        "requirements and assumptions",
        ("requirement", "clarif", "assumption", "constraint", "framed", "established", "scope"),
    ),
    (
        "prioritisation and planning",
        ("prioriti", "plan", "delegat", "deadline", "cuts", "sequenc", "decid", "deciding"),
    ),
    (
        "working with others",
        ("stakeholder", "collaborat", "listening", "feedback", "trust", "align", "negotiat"),
    ),
    (
        "motivation and fit",
        (
            "motivation",
            "fit",
            "interest",
            "specific",
            "next step",
            "logistic",
            "compensation",
            "expectation",
            "why ",
        ),
    ),
)
_PATTERNS: Final = tuple(
    (theme, re.compile("|".join(r"\b" + re.escape(k) for k in keys), re.IGNORECASE))
    for theme, keys in THEMES
)


@lru_cache(maxsize=4096)
def theme_of(criterion: str, round_name: str) -> str:
    for theme, pattern in _PATTERNS:
        if theme in _BEHAVIORAL_ONLY and round_name != "behavioral":
            continue
        if pattern.search(criterion):
            return theme
    name = criterion.strip()
    return name[:1].lower() + name[1:]


@dataclass(frozen=True)
class CriterionResult:
    name: str
    score: float
    max: int
    weight: int


@dataclass(frozen=True)
class GradedAnswer:
    question_id: str
    round: str
    source: str
    overall: float
    max: int
    submitted_at: datetime
    criteria: tuple[CriterionResult, ...]

    @property
    def on_scale(self) -> float:
        return SCALE * self.overall / self.max if self.max else 0.0


@dataclass(frozen=True)
class ThemeTrend:
    theme: str
    average: float  # on the 0..5 scale
    samples: int
    change: float  # later half minus earlier half, 0 with too few samples

    @property
    def weakness(self) -> float:
        return 1.0 - self.average / SCALE


def theme_trends(answers: Sequence[GradedAnswer]) -> list[ThemeTrend]:
    """Per theme, across the answers in time order; weakest first (ties: fewer samples last)."""
    scores: dict[str, list[float]] = defaultdict(list)
    for answer in sorted(answers, key=lambda a: a.submitted_at):
        for c in answer.criteria:
            if c.max > 0:
                scores[theme_of(c.name, answer.round)].append(SCALE * c.score / c.max)
    trends = []
    for theme, values in scores.items():
        change = 0.0
        if len(values) >= TREND_MIN_SAMPLES:
            half = len(values) // 2
            change = _mean(values[-half:]) - _mean(values[:half])
        trends.append(ThemeTrend(theme, _mean(values), len(values), change))
    trends.sort(key=lambda t: (t.average, -t.samples, t.theme))
    return trends


def round_averages(answers: Iterable[GradedAnswer]) -> dict[str, float]:
    by_round: dict[str, list[float]] = defaultdict(list)
    for answer in answers:
        by_round[answer.round].append(answer.on_scale)
    return {name: _mean(values) for name, values in by_round.items()}


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


@dataclass(frozen=True)
class PracticeCandidate:
    question_id: str
    round: str
    difficulty: str
    criteria: tuple[tuple[str, int], ...]  # (criterion name, weight)


@dataclass(frozen=True)
class PracticePick:
    question_id: str
    aims_at: tuple[str, ...]  # the weak themes the question's rubric exercises


def pick_practice(
    candidates: Sequence[PracticeCandidate],
    trends: Sequence[ThemeTrend],
    answered: Iterable[str],
    *,
    round_name: str | None,
    seed: str,
) -> PracticePick | None:
    """An unanswered question whose rubric weighs most on the member's weakest themes.

    Each weak theme counts by how weak it is; a question scores the weight-share of its rubric
    on those themes. Equal scores are broken by `seed`, so asking twice the same day gives the
    same question instead of a reroll."""
    done = set(answered)
    pool = [
        c
        for c in candidates
        if c.question_id not in done and (round_name is None or c.round == round_name)
    ]
    if not pool:
        return None
    weak: Mapping[str, float] = {t.theme: t.weakness for t in trends[:WEAK_THEMES]}
    scored: list[tuple[float, PracticeCandidate, tuple[str, ...]]] = []
    for candidate in pool:
        total = sum(weight for _, weight in candidate.criteria) or 1
        hits: dict[str, float] = {}
        for name, weight in candidate.criteria:
            theme = theme_of(name, candidate.round)
            if theme in weak:
                hits[theme] = hits.get(theme, 0.0) + weight * weak[theme]
        aims = tuple(sorted(hits, key=lambda theme: (-weak[theme], theme)))
        scored.append((round(sum(hits.values()) / total, 6), candidate, aims))
    best = max(score for score, _, _ in scored)
    top = sorted((s for s in scored if s[0] == best), key=lambda s: s[1].question_id)
    _, chosen, aims = random.Random(seed).choice(top)
    return PracticePick(chosen.question_id, aims)


@dataclass(frozen=True)
class ProgressSettings:
    """A guild's streak and milestone settings (admins change them; defaults otherwise)."""

    freezes_per_week: int
    streak7_role_id: int | None = None
    streak30_role_id: int | None = None
    top3_role_id: int | None = None


Period = Literal["week", "month", "all"]
_SEASON = re.compile(r"^(\d{4})-(\d{2})$")
_KEY = re.compile(r"^(all|w\d{4}-\d{2}-\d{2}|m\d{4}-\d{2})$")


class SeasonNotStarted(ValueError):
    """A month written correctly that has not begun yet."""


def parse_season(text: str, today: date) -> str:
    """A past or current month as the summary key ('m2026-10'); ValueError when the text is not
    a month, SeasonNotStarted when the month is still to come."""
    match = _SEASON.match(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        raise ValueError("a season is a month written YYYY-MM, e.g. 2026-10")
    key = f"m{match[1]}-{match[2]}"
    if key > month_key(today):
        raise SeasonNotStarted("that month has not started yet")
    return key


def period_key(period: Period, today: date) -> str:
    if period == "week":
        return week_key(today)
    if period == "month":
        return month_key(today)
    return "all"


def is_period_key(text: str) -> bool:
    return _KEY.match(text) is not None


def period_label(key: str, today: date) -> str:
    """'this week', 'November 2026', 'all time'... for a summary key."""
    if key == "all":
        return "all time"
    if key.startswith("w"):
        monday = date.fromisoformat(key[1:])
        return "this week" if key == week_key(today) else f"week of {monday:%d %b %Y}"
    first = date.fromisoformat(f"{key[1:]}-01")
    return "this month" if key == month_key(today) else f"{first:%B %Y}"
