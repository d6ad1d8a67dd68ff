"""`content check`, code half: references pass their tests, naive solutions are too slow."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.runner.pool import CodeRunner
from bot.runner.report import RunReport
from bot.runner.spec import TestsFileError, TestSpec, all_tests_files, load_spec

# A naive solution must be too slow for this multiple of its limit, not just the limit: one a
# little over it on a busy machine passes on a quiet one (CPU time varies with the load).
NAIVE_MARGIN = 1.5


@dataclass
class QuestionCheck:
    question: str
    problems: list[str] = field(default_factory=list)
    references: list[RunReport] = field(default_factory=list)
    naive: list[RunReport] = field(default_factory=list)
    cases: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self) -> str:
        refs = ", ".join(f"{r.language} {r.passed}/{r.total}" for r in self.references)
        slow = ", ".join(f"naive {r.language}: {_naive_outcome(r)}" for r in self.naive)
        parts = [f"{'ok  ' if self.ok else 'FAIL'} {self.question}: {refs or 'no reference run'}"]
        if slow:
            parts.append(slow)
        return "; ".join(parts + self.problems)


def _naive_outcome(report: RunReport) -> str:
    slow = next((case for case in report.cases if case.status == "timeout"), None)
    return f"too slow on “{slow.name}”" if slow else f"{report.verdict}"


async def check_question(runner: CodeRunner, path: Path) -> QuestionCheck:
    try:
        spec = load_spec(path)
    except TestsFileError as exc:
        return QuestionCheck(path.stem, [str(exc)])
    result = QuestionCheck(spec.question, cases=len(spec.cases))
    languages = [lang for lang in spec.languages if lang in runner.languages]
    runs = [runner.run(spec, lang, spec.reference[lang]) for lang in languages]
    naive = [lang for lang in spec.naive if lang in runner.languages]
    with_margin = _naive_limits(spec)
    runs += [
        runner.run(with_margin, lang, spec.naive[lang], stop_at_first_timeout=True)
        for lang in naive
    ]
    reports = await asyncio.gather(*runs)
    result.references = list(reports[: len(languages)])
    result.naive = list(reports[len(languages) :])
    for report in result.references:
        if report.verdict != "passed":
            failing = [c.name for c in report.cases if c.status != "passed"][:3]
            result.problems.append(
                f"{report.language} reference: {report.verdict} on {', '.join(failing)}"
                + (f" ({report.load_error or report.crash})"[:300] if report.load_error else "")
            )
    for report in result.naive:
        if not any(case.status == "timeout" for case in report.cases):
            result.problems.append(
                f"naive {report.language} is not too slow: {report.verdict} "
                f"within {NAIVE_MARGIN}x its time limit"
            )
    return result


def _naive_limits(spec: TestSpec) -> TestSpec:
    def widened(limit_ms: int) -> int:
        return math.ceil(limit_ms * NAIVE_MARGIN)

    return replace(
        spec,
        time_limit_ms=widened(spec.time_limit_ms),
        language_limits_ms={lang: widened(ms) for lang, ms in spec.language_limits_ms.items()},
    )


async def check_all(runner: CodeRunner, files: list[Path] | None = None) -> list[QuestionCheck]:
    paths = files if files is not None else all_tests_files()
    return list(await asyncio.gather(*(check_question(runner, path) for path in paths)))


def totals_line(checks: list[QuestionCheck]) -> str:
    references = [r for c in checks for r in c.references]
    naive = [r for c in checks for r in c.naive]
    slow = sum(any(case.status == "timeout" for case in r.cases) for r in naive)
    return (
        f"code: {len(checks)} questions with tests, {sum(c.cases for c in checks)} cases; "
        f"references passing {sum(r.verdict == 'passed' for r in references)}/{len(references)}; "
        f"naive solutions too slow {slow}/{len(naive)}"
    )
