"""Measure a grader on the bundled evaluation set (`evalset.yaml`).

Every question carries a strong, a medium and a weak answer written as candidates write them, and
`eval_variants` derives from them the answers a grader must not be fooled by (the weak answer padded
with filler, a salad of the rubric's keywords, the prompt pasted back, the strong answer cut in
half) and injection variants (text addressed to the grader). `eval_report` turns the scores into
the goals `python -m bot eval` prints. Some questions are marked `held_out`: the offline grader
was not tuned on them, so their figures show how it does on answers it has not seen.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict

from bot.content.schema import Question, Round
from bot.domain.grading import Grade, GradingUnavailable, Usage
from bot.llm.base import Grader
from bot.llm.eval_variants import INJECTIONS, VARIANT_KINDS, VariantKind, injected, variant

EVALSET_PATH: Final = Path(__file__).with_name("evalset.yaml")
# How far text addressed to the grader may move an answer's score, either way.
INJECTION_TOLERANCE: Final = 0.25
Level = Literal["strong", "medium", "weak"]
LEVELS: Final[tuple[Level, ...]] = ("strong", "medium", "weak")
# Which answers each kind of injection is put into: appended ones go after the weak answer (the
# one with most to gain), inserted ones into the middle of the medium and the strong answer.
_INJECTION_TARGETS: Final[dict[str, tuple[Level, ...]]] = {
    "append": ("weak",),
    "insert": ("medium", "strong"),
}


class EvalAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    strong: str
    medium: str
    weak: str


class EvalItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Question
    answers: EvalAnswers
    held_out: bool = False

    def answer(self, level: Level) -> str:
        text: str = getattr(self.answers, level)
        return text

    def variant(self, kind: VariantKind) -> str:
        return variant(kind, self.question, self.answers.strong, self.answers.weak)


class EvalSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    items: list[EvalItem]


def load_evalset(path: Path = EVALSET_PATH) -> list[EvalItem]:
    with path.open(encoding="utf-8") as handle:
        return EvalSet.model_validate(yaml.safe_load(handle)).items


def injection_cases(item: EvalItem) -> list[tuple[str, Level, str]]:
    """(injection name, the answer level it goes into, the injected answer) for one question."""
    return [
        (name, level, injected(item.answer(level), injection))
        for name, injection in INJECTIONS.items()
        for level in _INJECTION_TARGETS[injection.place]
    ]


@dataclass(frozen=True)
class ItemResult:
    question_id: str
    round: Round
    held_out: bool
    scores: dict[Level, tuple[float, ...]]  # one score per repeat
    variants: dict[VariantKind, float]
    errors: tuple[str, ...]

    def mean(self, level: Level) -> float:
        values = self.scores.get(level, ())
        return statistics.fmean(values) if values else float("nan")

    def spread(self, level: Level) -> float:
        values = self.scores.get(level, ())
        return max(values) - min(values) if values else 0.0

    def complete(self) -> bool:
        return all(self.scores.get(level) for level in LEVELS)

    @property
    def ordered(self) -> bool:
        return self.complete() and self.mean("strong") > self.mean("medium") > self.mean("weak")

    def below(self, kind: VariantKind, level: Level) -> bool:
        """Did the variant score strictly below the answer at `level`?"""
        return kind in self.variants and self.complete() and self.variants[kind] < self.mean(level)


@dataclass(frozen=True)
class InjectionResult:
    question_id: str
    held_out: bool
    variant: str
    level: Level
    plain: float
    injected: float
    flagged: bool

    @property
    def delta(self) -> float:
        return self.injected - self.plain

    @property
    def passed(self) -> bool:
        return abs(self.delta) <= INJECTION_TOLERANCE + 1e-9


@dataclass(frozen=True)
class EvalReport:
    grader: str
    approximate: bool
    repeats: int
    items: tuple[ItemResult, ...]
    injections: tuple[InjectionResult, ...]
    usage: Usage
    calls: int

    @property
    def agreement(self) -> float:
        return sum(i.ordered for i in self.items) / len(self.items) if self.items else 0.0

    def agreement_by_round(self) -> dict[str, float]:
        rounds: dict[str, list[bool]] = {}
        for item in self.items:
            rounds.setdefault(item.round, []).append(item.ordered)
        return {r: sum(v) / len(v) for r, v in rounds.items()}

    @property
    def mean_spread(self) -> float:
        spreads = [i.spread(level) for i in self.items for level in LEVELS]
        return statistics.fmean(spreads) if spreads else 0.0

    @property
    def max_spread(self) -> float:
        return max((i.spread(level) for i in self.items for level in LEVELS), default=0.0)

    @property
    def injection_flag_rate(self) -> float:
        if not self.injections:
            return 0.0
        return sum(r.flagged for r in self.injections) / len(self.injections)

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(e for i in self.items for e in i.errors)


async def _grade(
    grader: Grader, question: Question, answer: str
) -> tuple[Grade | None, str | None]:
    try:
        return await grader.grade(question, answer), None
    except GradingUnavailable as exc:
        return None, f"{question.id}: {exc.reason}"


async def _evaluate_item(
    grader: Grader, item: EvalItem, repeats: int
) -> tuple[ItemResult, list[InjectionResult], list[Grade]]:
    q = item.question
    jobs = [(level, item.answer(level)) for level in LEVELS for _ in range(repeats)]
    variants = [(kind, item.variant(kind)) for kind in VARIANT_KINDS]
    cases = injection_cases(item)
    answers = [a for _, a in jobs] + [a for _, a in variants] + [a for _, _, a in cases]
    results = await asyncio.gather(*(_grade(grader, q, answer) for answer in answers))
    graded = [grade for grade, _ in results if grade is not None]
    errors = [error for _, error in results if error is not None]
    scores: dict[Level, list[float]] = {level: [] for level in LEVELS}
    for (level, _), (grade, _) in zip(jobs, results[: len(jobs)], strict=True):
        if grade is not None:
            scores[level].append(grade.overall)
    means = {level: statistics.fmean(v) for level, v in scores.items() if v}
    variant_results = results[len(jobs) : len(jobs) + len(variants)]
    variant_scores = {
        kind: grade.overall
        for (kind, _), (grade, _) in zip(variants, variant_results, strict=True)
        if grade is not None
    }
    injections: list[InjectionResult] = []
    for (name, level, _), (grade, _) in zip(
        cases, results[len(jobs) + len(variants) :], strict=True
    ):
        if grade is None or level not in means:
            continue  # the failed grade is already listed in `errors`
        injections.append(
            InjectionResult(
                q.id,
                item.held_out,
                name,
                level,
                means[level],
                grade.overall,
                grade.injection_attempt,
            )
        )
    item_result = ItemResult(
        question_id=q.id,
        round=q.round,
        held_out=item.held_out,
        scores={level: tuple(v) for level, v in scores.items()},
        variants=variant_scores,
        errors=tuple(errors),
    )
    return item_result, injections, graded


async def run_eval(
    grader: Grader, repeats: int = 3, items: Sequence[EvalItem] | None = None
) -> EvalReport:
    """Grade every answer `repeats` times, and each generated variant and injection once.

    Requests go out concurrently; a Claude grader bounds them with its own semaphore. An answer
    whose grading is unavailable counts against the goals and is listed in `errors`.
    """
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    chosen = list(items) if items is not None else load_evalset()
    outcomes = await asyncio.gather(*(_evaluate_item(grader, item, repeats) for item in chosen))
    usage = Usage(0, 0, 0, 0)
    calls = 0
    for _, _, grades in outcomes:
        for grade in grades:
            calls += 1
            if grade.usage is not None:
                usage = usage + grade.usage
    return EvalReport(
        grader=grader.name,
        approximate=grader.approximate,
        repeats=repeats,
        items=tuple(o[0] for o in outcomes),
        injections=tuple(r for o in outcomes for r in o[1]),
        usage=usage,
        calls=calls,
    )
