"""The runner's command-line halves: `content check` (code) and `judge`."""

from __future__ import annotations

import sys
import time

from bot.runner.content_check import check_all, totals_line
from bot.runner.pool import CodeRunner, ExecutionOff
from bot.runner.report import summary_lines
from bot.runner.spec import TestsFileError, find_tests, load_spec


async def content_code_check() -> int:
    """Run every reference and naive solution; print a line per question; 1 when any is wrong."""
    runner = await CodeRunner.start()
    if not runner.languages:
        print(f"code: not run: {runner.off_reason or 'no language works here'}", file=sys.stderr)
        return 0
    started = time.perf_counter()
    checks = await check_all(runner)
    for check in checks:
        print(check.line())
    elapsed = time.perf_counter() - started
    print(f"{totals_line(checks)} ({elapsed:.1f} s on {runner.slots} sandbox slots)")
    failed = [check.question for check in checks if not check.ok]
    if failed:
        print(f"{len(failed)} question(s) with wrong tests or solutions", file=sys.stderr)
    return 1 if failed else 0


async def judge_cli(question: str, code: str, language: str, output: str) -> int:
    path = find_tests(question)
    if path is None:
        print(f"no tests for {question}: only coding questions with a tests file", file=sys.stderr)
        return 2
    try:
        spec = load_spec(path)
    except TestsFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not code.strip():
        print("the code is empty: pass --file or pipe it on standard input", file=sys.stderr)
        return 2
    runner = await CodeRunner.start(slots=1)
    try:
        report = await runner.run(spec, language, code)
    except ExecutionOff as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.as_json() if output == "json" else "\n".join(summary_lines(report)))
    return 0 if report.verdict == "passed" else 1
