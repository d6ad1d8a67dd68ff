"""What a run found, per case and overall, in words a member understands."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bot.domain.code_tests import FailingCase, RunEvidence
from bot.i18n.messages import N_

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


# A line of the summary: a `messages` msgid (marked with N_) and its `{placeholder}` values. The
# ui shows it in the reader's language (`tr`), the judge CLI and stored evidence in English.
Line = tuple[str, dict[str, Any]]
# A line that is the program's own words, shown as they are (not a msgid).
VERBATIM = "{text}"

HEADLINES: dict[Verdict, str] = {
    "passed": N_("✅ All tests pass"),
    "failed": N_("❌ Some tests fail"),
    "error": N_("💥 Your code raised an error"),
    "timeout": N_("⏱️ Too slow: a test ran past the time limit"),
    "memory": N_("🧠 Out of memory: a test used more than the memory limit"),
    "output_limit": N_("📜 Output too long: your code printed more than the limit"),
    "crash": N_("💥 Your program stopped unexpectedly"),
    "load_error": N_("🚫 Your code did not load"),
}
# Why a case failed, for a visible case (named) and a hidden one (only counted).
_CASE_LINES: dict[Status, tuple[str, str]] = {
    "timeout": (
        N_("⏱️ test “{name}”: over the {limit} ms limit"),
        N_("⏱️ hidden test: over the {limit} ms limit"),
    ),
    "memory": (N_("🧠 test “{name}”: ran out of memory"), N_("🧠 hidden test: ran out of memory")),
    "output_limit": (
        N_("📜 test “{name}”: printed too much"),
        N_("📜 hidden test: printed too much"),
    ),
    "error": (N_("💥 test “{name}”: {error}"), N_("💥 hidden test: {error}")),
}


def english(line: Line) -> str:
    """A summary line as the judge CLI and the stored evidence write it."""
    text, params = line
    return text.format(**params)


def summary_lines(report: RunReport) -> list[str]:
    """A plain-text summary in English: visible cases in full, hidden ones only counted."""
    return [english(line) for line in summary(report)]


def summary(report: RunReport) -> list[Line]:
    """The summary as msgids and values: visible cases in full, hidden ones only counted."""
    visible, visible_total = report.counts(hidden=False)
    hidden, hidden_total = report.counts(hidden=True)
    lines: list[Line] = [
        (HEADLINES[report.verdict], {}),
        (
            N_(
                "Visible tests: {visible}/{visible_total} passed · hidden tests: "
                "{hidden}/{hidden_total} passed"
            ),
            {
                "visible": visible,
                "visible_total": visible_total,
                "hidden": hidden,
                "hidden_total": hidden_total,
            },
        ),
    ]
    if report.load_error:
        lines += [(N_("Fix this first:"), {}), (VERBATIM, {"text": _short(report.load_error)})]
    for case in report.cases:
        if case.status != "passed" and case.status != "not_run":
            lines.append(_case_line(case, report.time_limit_ms))
    if report.crash:
        lines += [
            (N_("Last lines before it stopped:"), {}),
            (VERBATIM, {"text": _short(report.crash)}),
        ]
    return lines


def _case_line(case: CaseResult, limit_ms: int) -> Line:
    params: dict[str, Any] = {} if case.hidden else {"name": case.name}
    worded = _CASE_LINES.get(case.status)
    if worded is not None:
        text = worded[1] if case.hidden else worded[0]
        if case.status == "timeout":
            params["limit"] = limit_ms
        if case.status == "error":
            params["error"] = _short(case.error)
        return text, params
    if case.hidden:
        return N_("❌ hidden test: wrong answer"), params
    params |= {
        "expected": _short(json.dumps(case.expected)),
        "got": _short(json.dumps(case.got)),
    }
    return N_("❌ test “{name}”: expected {expected}, got {got}"), params


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def evidence(report: RunReport) -> RunEvidence:
    """The run as the graders and the feedback use it (hidden cases only counted)."""
    hidden_passed, hidden_total = report.counts(hidden=True)
    lines = summary(report)
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
        summary=tuple(english(line) for line in lines),
        lines=tuple(lines),
    )


def _clip(text: str) -> str:
    return text if len(text) <= GRADER_CHARS else text[: GRADER_CHARS - 1] + "…"


def _tail(text: str) -> str:
    """An error's last characters: where it was raised and why."""
    return text if len(text) <= GRADER_CHARS else "…" + text[-(GRADER_CHARS - 1) :]
