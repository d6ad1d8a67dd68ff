"""What running a coding answer's tests found, as the graders and the feedback use it.

The graders make the criteria about what the code does follow the tests, not the prose: a wrong
solution told in the right words must not score on correctness. Criteria about discussing the
solution (complexity, alternatives, how it was tested, why it works) are left to the grader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

# Criteria named like this are about talking through a solution, not about what the code does.
_DISCUSSION = re.compile(
    r"complexity|alternative|trade-?off|\btest(s|ed|ing)?\b|verification|walk ?through|"
    r"^why\b|\bproof\b|production|practical|cost at scale",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FailingCase:
    """A visible case the code got wrong; hidden cases are only counted, never shown."""

    name: str
    status: str
    expected: str  # JSON, shortened
    got: str  # JSON, shortened; the code's own output, so untrusted text
    error: str = ""


@dataclass(frozen=True)
class RunEvidence:
    language: str
    verdict: str
    passed: int
    total: int
    hidden_passed: int
    hidden_total: int
    failing: tuple[FailingCase, ...]
    summary: tuple[str, ...]  # the lines the member sees, in English
    not_run: str = ""  # why the tests could not run (the sandbox is off): grade as without them
    # The same lines as `messages` msgids and their values, shown in the reader's language
    # (empty in evidence stored before they were kept: the English lines are shown then).
    lines: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def ran(self) -> bool:
        return not self.not_run and self.total > 0

    @property
    def pass_rate(self) -> float:
        return self.passed / self.total if self.ran else 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunEvidence:
        failing = tuple(FailingCase(**case) for case in data.get("failing", ()))
        lines = tuple((str(text), dict(params)) for text, params in data.get("lines", ()))
        return cls(
            **{
                **data,
                "failing": failing,
                "summary": tuple(data.get("summary", ())),
                "lines": lines,
            }
        )


def not_run(reason: str) -> RunEvidence:
    return RunEvidence("", "not_run", 0, 0, 0, 0, (), (), not_run=reason)


def about_the_code(criterion_name: str) -> bool:
    """Whether a coding criterion judges what the code does (so the tests decide it)."""
    return _DISCUSSION.search(criterion_name) is None


def tested_score(
    name: str, score: float, tests: RunEvidence | None, *, ceiling: float, band: float | None
) -> float:
    """The score of criterion `name` once the tests are known: at most `ceiling` times the pass
    rate, and, when `band` is given, at least `band` below that (the tests decide, the prose
    only moves the score within the band)."""
    if tests is None or not tests.ran or not about_the_code(name):
        return score
    top = ceiling * tests.pass_rate
    low = 0.0 if band is None else max(0.0, top - band)
    return min(top, max(low, score))


def tests_comment(tests: RunEvidence) -> str:
    return f"The tests decide this one: {tests.passed} of {tests.total} pass."


def run_turn(tests: RunEvidence) -> str:
    """A test run as the mock transcript keeps it: an interviewer-side line, written by the bot,
    so the interviewer can ask about the failing case and the candidate cannot forge one."""
    lines = [
        f"[Test run, by the bot] {tests.passed} of {tests.total} tests pass ({tests.verdict})."
    ]
    for case in tests.failing:
        detail = case.error or f"expected {case.expected}, got {case.got}"
        lines.append(f"Failing: “{case.name}” ({case.status}): {detail}")
    hidden_failed = tests.hidden_total - tests.hidden_passed
    if hidden_failed:
        lines.append(f"Hidden tests failing: {hidden_failed} of {tests.hidden_total}.")
    return "\n".join(lines)
