"""What `python -m bot grade` and `python -m bot eval` print; the lead wires these into argparse.

Both return the text to print and let `GradingUnavailable` propagate, so the command can map it
to a non-zero exit and a one-line message (see `unavailable_message`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from bot.content.schema import Question
from bot.domain.grading import Grade, GradingUnavailable
from bot.llm.base import Grader
from bot.llm.eval_report import all_goals_pass, format_report
from bot.llm.evaluation import EvalItem, run_eval

APPROXIMATE_NOTE = (
    "approximate: offline keyword-coverage grading, not a review of correctness; "
    "set ANTHROPIC_API_KEY for Claude feedback"
)


def grade_to_json(question: Question, grade: Grade) -> str:
    return json.dumps({"question": question.id, **grade.to_dict()}, ensure_ascii=False, indent=2)


def format_grade_text(question: Question, grade: Grade) -> str:
    grader = f"{grade.grader}" + (f" ({grade.model})" if grade.model else "")
    lines = [f"{question.title} [{question.id}]", f"Overall: {grade.overall:g}/{grade.max}"]
    lines.append(f"Grader: {grader}")
    if grade.approximate:
        lines.append(f"Note: {APPROXIMATE_NOTE}")
    if grade.injection_attempt:
        lines.append("Note: the answer contains text addressed to the grader; it was ignored.")
    lines.append("")
    for c in grade.criteria:
        lines.append(f"- {c.name} (weight {c.weight}): {c.score:g}/{c.max} - {c.comment}")
        if c.evidence:
            lines.append(f'    evidence: "{c.evidence}"')
    sections = (
        ("Strengths", grade.strengths),
        ("To improve", grade.improvements),
        ("A strong answer also covers", grade.strong_answer_adds),
    )
    for title, items in sections:
        if items:
            lines.append("")
            lines.append(f"{title}:")
            lines += [f"- {item}" for item in items]
    if grade.star is not None:
        s = grade.star
        lines += [
            "",
            "STAR:",
            f"- Situation: {s.situation}",
            f"- Task: {s.task}",
            f"- Action: {s.action}",
            f"- Result: {s.result}",
            f"- Ownership: {s.ownership}",
        ]
    if grade.hiring_signal:
        lines += ["", f"Hiring signal: {grade.hiring_signal}"]
        lines += [f"- {reason}" for reason in grade.hiring_reasons]
    return "\n".join(lines)


async def grade_cli(
    question: Question, answer: str, grader: Grader, fmt: Literal["text", "json"]
) -> str:
    """Grade one answer and render it; raises `GradingUnavailable` (and `ValueError` if empty)."""
    if not answer.strip():
        raise ValueError("the answer is empty")
    grade = await grader.grade(question, answer)
    return grade_to_json(question, grade) if fmt == "json" else format_grade_text(question, grade)


async def eval_cli(
    grader: Grader, repeats: int | None = None, items: Sequence[EvalItem] | None = None
) -> tuple[str, bool]:
    """Run the evaluation set (the bundled one unless `items`): the report, and whether every
    goal passed. A deterministic (offline) grader needs only one repeat."""
    chosen = repeats if repeats is not None else (1 if grader.approximate else 3)
    report = await run_eval(grader, repeats=chosen, items=items)
    return format_report(report), all_goals_pass(report)


def unavailable_message(exc: GradingUnavailable) -> str:
    hint = " (try again later)" if exc.retryable else ""
    return f"grading unavailable: {exc.reason}{hint}"
