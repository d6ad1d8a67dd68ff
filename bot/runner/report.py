"""What a run found, per case and overall, in words a member understands."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bot.domain.code_tests import FailingCase, RunEvidence

Status = Literal["passed", "failed", "error", "timeout", "memory", "output_limit", "not_run"]
Verdict = Literal[
    "passed", "failed", "error", "timeout", "memory", "output_limit", "crash", "load_error"
]
# When several cases fail differently, the verdict names the most telling problem.
VERDICT_ORDER: tuple[Status, ...] = ("timeout", "memory", "output_limit", "error", "failed")
SHOWN_CHARS = 300
# The graders see this many failing visible cases: the first ones are what to fix first.
FAILING_SHOWN = 3
GRADER_CHARS = 200


@dataclass
class CaseResult:
    name: str
    hidden: bool
    status: Status
    time_ms: float | None = None
    got: Any = None
    expected: Any = None
    error: str = ""


@dataclass
class RunReport:
    question: str
    language: str
    time_limit_ms: int
    cases: list[CaseResult] = field(default_factory=list)
    crash: str = ""  # the program's last lines when it died outside any case
    load_error: str = ""

    @property
    def passed(self) -> int:
        return sum(case.status == "passed" for case in self.cases)

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def verdict(self) -> Verdict:
        if self.load_error:
            return "load_error"
        statuses = {case.status for case in self.cases}
        if statuses == {"passed"}:
            return "passed"
        for status in VERDICT_ORDER:
            if status in statuses:
                return status  # type: ignore[return-value]
        return "crash" if self.crash else "failed"

    def counts(self, hidden: bool) -> tuple[int, int]:
        chosen = [case for case in self.cases if case.hidden == hidden]
        return sum(case.status == "passed" for case in chosen), len(chosen)

    def as_json(self) -> str:
        return json.dumps(
            {
                "question": self.question,
                "language": self.language,
                "verdict": self.verdict,
                "passed": self.passed,
                "total": self.total,
                "load_error": self.load_error,
                "crash": self.crash,
                "cases": [_case_json(case) for case in self.cases],
            },
            indent=2,
        )


def _case_json(case: CaseResult) -> dict[str, Any]:
    row = asdict(case)
    if case.hidden:  # a hidden case's input and answer stay hidden
        row.pop("got")
        row.pop("expected")
    return row


HEADLINES: dict[Verdict, str] = {
    "passed": "✅ All tests pass",
    "failed": "❌ Some tests fail",
    "error": "💥 Your code raised an error",
    "timeout": "⏱️ Too slow: a test ran past the time limit",
    "memory": "🧠 Out of memory: a test used more than the memory limit",
    "output_limit": "📜 Output too long: your code printed more than the limit",
    "crash": "💥 Your program stopped unexpectedly",
    "load_error": "🚫 Your code did not load",
}


def summary_lines(report: RunReport) -> list[str]:
    """A plain-text summary: visible cases in full, hidden ones only counted."""
    visible, visible_total = report.counts(hidden=False)
    hidden, hidden_total = report.counts(hidden=True)
    lines = [
        HEADLINES[report.verdict],
        f"Visible tests: {visible}/{visible_total} passed · hidden tests: {hidden}/{hidden_total}"
        " passed",
    ]
    if report.load_error:
        lines += ["Fix this first:", _short(report.load_error)]
    for case in report.cases:
        if case.status != "passed" and case.status != "not_run":
            lines.append(_case_line(case, report.time_limit_ms))
    if report.crash:
        lines += ["Last lines before it stopped:", _short(report.crash)]
    return lines


def _case_line(case: CaseResult, limit_ms: int) -> str:
    label = "hidden test" if case.hidden else f"test “{case.name}”"
    if case.status == "timeout":
        return f"⏱️ {label}: over the {limit_ms} ms limit"
    if case.status == "memory":
        return f"🧠 {label}: ran out of memory"
    if case.status == "output_limit":
        return f"📜 {label}: printed too much"
    if case.status == "error":
        return f"💥 {label}: {_short(case.error)}"
    if case.hidden:
        return f"❌ {label}: wrong answer"
    expected, got = _short(json.dumps(case.expected)), _short(json.dumps(case.got))
    return f"❌ {label}: expected {expected}, got {got}"


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def evidence(report: RunReport) -> RunEvidence:
    """The run as the graders and the feedback use it (hidden cases only counted)."""
    hidden_passed, hidden_total = report.counts(hidden=True)
    failing = [
        FailingCase(
            case.name,
            case.status,
            _clip(json.dumps(case.expected)),
            _clip(json.dumps(case.got)),
            _tail(case.error),
        )
        for case in report.cases
        if not case.hidden and case.status not in ("passed", "not_run")
    ]
    if report.load_error or report.crash:  # what stopped the run comes first
        stopped = report.load_error or report.crash
        failing.insert(0, FailingCase("the program", report.verdict, "", "", _tail(stopped)))
    return RunEvidence(
        language=report.language,
        verdict=report.verdict,
        passed=report.passed,
        total=report.total,
        hidden_passed=hidden_passed,
        hidden_total=hidden_total,
        failing=tuple(failing[:FAILING_SHOWN]),
        summary=tuple(summary_lines(report)),
    )


def _clip(text: str) -> str:
    return text if len(text) <= GRADER_CHARS else text[: GRADER_CHARS - 1] + "…"


def _tail(text: str) -> str:
    """An error's last characters: where it was raised and why."""
    return text if len(text) <= GRADER_CHARS else "…" + text[-(GRADER_CHARS - 1) :]
