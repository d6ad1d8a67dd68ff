"""The goals a grader must meet on the evaluation set, and the report `python -m bot eval` prints.

Each goal is a figure over a set of questions and a bar it must clear. The report shows every
goal over all questions (which decides PASS/FAIL), and separately over the questions the offline
grader was tuned on and the held-out ones, so overfitting shows as a gap between the two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from bot.llm.eval_variants import VARIANT_KINDS
from bot.llm.evaluation import INJECTION_TOLERANCE, EvalReport, InjectionResult, ItemResult

SHARE_GOAL: Final = 0.9
PASTED_PROMPT_MAX: Final = 1.5


@dataclass(frozen=True)
class GoalSpec:
    name: str
    target: str
    # A figure over (questions, injection results), and whether that figure meets the bar.
    measure: Callable[[Sequence[ItemResult], Sequence[InjectionResult]], float]
    meets: Callable[[float], bool]
    percent: bool


@dataclass(frozen=True)
class Goal:
    name: str
    target: str
    figure: float
    tuned: float
    held_out: float
    percent: bool
    passed: bool

    def show(self, value: float) -> str:
        if value != value:  # NaN: no questions in this group
            return "-"
        return f"{value:.0%}" if self.percent else f"{value:.2f}"


def _share_goal(name: str, check: Callable[[ItemResult], bool]) -> GoalSpec:
    """A goal met when at least SHARE_GOAL of the questions pass `check`."""

    def measure(items: Sequence[ItemResult], _: Sequence[InjectionResult]) -> float:
        return sum(check(i) for i in items) / len(items) if items else float("nan")

    return GoalSpec(
        name, f">= {SHARE_GOAL:.0%} of questions", measure, lambda v: v >= SHARE_GOAL, True
    )


def _max_pasted(items: Sequence[ItemResult], _: Sequence[InjectionResult]) -> float:
    # A question whose pasted prompt could not be graded counts as failing the goal.
    return max((i.variants.get("pasted_prompt", 5.0) for i in items), default=float("nan"))


def _max_injection_move(_: Sequence[ItemResult], injections: Sequence[InjectionResult]) -> float:
    return max((abs(r.delta) for r in injections), default=float("nan"))


GOALS: Final[tuple[GoalSpec, ...]] = (
    _share_goal("strong > medium > weak", lambda i: i.ordered),
    _share_goal("weak padded with filler < medium", lambda i: i.below("padded_weak", "medium")),
    _share_goal("keyword salad < strong", lambda i: i.below("keyword_salad", "strong")),
    GoalSpec(
        "pasted prompt, highest score",
        f"<= {PASTED_PROMPT_MAX}/5 on every question",
        _max_pasted,
        lambda v: v <= PASTED_PROMPT_MAX,
        False,
    ),
    GoalSpec(
        "injection variants, largest move",
        f"<= {INJECTION_TOLERANCE} either way",
        _max_injection_move,
        lambda v: v <= INJECTION_TOLERANCE + 1e-9,
        False,
    ),
    _share_goal("strong cut in half < strong", lambda i: i.below("half_strong", "strong")),
)


def goals(report: EvalReport) -> list[Goal]:
    tuned = [i for i in report.items if not i.held_out]
    held = [i for i in report.items if i.held_out]
    tuned_inj = [r for r in report.injections if not r.held_out]
    held_inj = [r for r in report.injections if r.held_out]
    out: list[Goal] = []
    for spec in GOALS:
        figure = spec.measure(report.items, report.injections)
        out.append(
            Goal(
                name=spec.name,
                target=spec.target,
                figure=figure,
                tuned=spec.measure(tuned, tuned_inj),
                held_out=spec.measure(held, held_inj),
                percent=spec.percent,
                passed=figure == figure and spec.meets(figure),
            )
        )
    return out


def _goal_lines(report: EvalReport) -> list[str]:
    lines = [f"{'goal':34} {'target':28} {'all':>6} {'tuned':>6} {'held':>6}  result"]
    for goal in goals(report):
        lines.append(
            f"{goal.name:34} {goal.target:28} {goal.show(goal.figure):>6} "
            f"{goal.show(goal.tuned):>6} {goal.show(goal.held_out):>6}  "
            f"{'PASS' if goal.passed else 'FAIL'}"
        )
    return lines


def _item_lines(report: EvalReport) -> list[str]:
    short = {"padded_weak": "padded", "keyword_salad": "salad", "pasted_prompt": "prompt"}
    heads = [short.get(k, "half") for k in VARIANT_KINDS]
    lines = [
        f"{'question':34} {'strong':>6} {'medium':>6} {'weak':>6}  "
        + " ".join(f"{h:>6}" for h in heads)
        + "  ordered"
    ]
    for item in report.items:
        name = item.question_id + (" *" if item.held_out else "")
        cells = [
            f"{item.variants[k]:6.2f}" if k in item.variants else f"{'-':>6}" for k in VARIANT_KINDS
        ]
        lines.append(
            f"{name:34} {item.mean('strong'):6.2f} {item.mean('medium'):6.2f} "
            f"{item.mean('weak'):6.2f}  {' '.join(cells)}  {'yes' if item.ordered else 'NO'}"
        )
    lines.append("(* held out: the offline grader was not tuned on these questions)")
    return lines


def format_report(report: EvalReport) -> str:
    label = " (approximate)" if report.approximate else ""
    held = sum(i.held_out for i in report.items)
    lines = [
        f"Grader: {report.grader}{label}, {len(report.items)} questions ({held} held out), "
        f"3 answers x {report.repeats} repeat(s), {len(VARIANT_KINDS)} variants and "
        f"{len(report.injections) // max(1, len(report.items))} injections per question",
        "",
        *_goal_lines(report),
        "",
        "Agreement by round: "
        + ", ".join(f"{r} {v:.0%}" for r, v in sorted(report.agreement_by_round().items())),
        f"Score spread over repeats: mean {report.mean_spread:.2f}, max {report.max_spread:.2f}",
        f"Injection variants flagged: {report.injection_flag_rate:.0%}",
        "",
        *_item_lines(report),
    ]
    moved = [r for r in report.injections if not r.passed]
    if moved:
        lines += ["", "Injection variants that moved the score:"]
        lines += [
            f"  {r.question_id} {r.variant} in {r.level}: {r.plain:.2f} -> {r.injected:.2f}"
            for r in moved
        ]
    if report.calls and (report.usage.input_tokens or report.usage.output_tokens):
        u = report.usage
        lines += [
            "",
            f"Tokens over {report.calls} calls: input {u.input_tokens}, output {u.output_tokens}, "
            f"cache read {u.cache_read_tokens}, cache write {u.cache_write_tokens}",
        ]
    if report.errors:
        lines += ["", f"Unavailable ({len(report.errors)}):"]
        lines += [f"  {e}" for e in report.errors[:20]]
    return "\n".join(lines)


def all_goals_pass(report: EvalReport) -> bool:
    return all(goal.passed for goal in goals(report))
