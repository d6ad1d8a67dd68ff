"""Run one solution against a question's cases in the sandbox and compare outside it."""

from __future__ import annotations

import json
import math
import re
import signal
from dataclasses import dataclass, replace
from typing import Any

from bot.runner.compare import matches
from bot.runner.report import CaseResult, RunReport, Status
from bot.runner.sandbox import Exit, Limits, OutputLimit, SandboxProcess, sandboxed
from bot.runner.spec import Case, TestSpec
from bot.runner.toolchains import Toolchain

STARTUP_S = 10.0  # loading the interpreter and the solution, on a busy machine
# A case is killed at this multiple of its CPU limit in wall time (its verdict uses CPU time).
WALL_FACTOR = 3.0
WALL_GRACE_S = 1.0
# Proving a naive solution too slow needs no patience: it is stopped at 1.5 times the limit.
NAIVE_WALL_FACTOR = 1.5
NAIVE_WALL_GRACE_S = 0.25
MAX_RESTARTS = 2  # after a killed case the rest run in a fresh sandbox, at most this many times
OUT_OF_MEMORY = re.compile(
    r"MemoryError|heap out of memory|Allocation failed|Cannot allocate memory"
)


DEFAULT_LIMITS = Limits()


@dataclass
class _Batch:
    results: list[CaseResult]
    fatal: bool  # the sandbox had to stop before the batch's last case


def run_limits(spec: TestSpec, base: Limits) -> Limits:
    cpu_total_s = sum(spec.time_limit_ms for _ in spec.cases) * WALL_FACTOR / 1000
    return replace(base, cpu_s=math.ceil(cpu_total_s + STARTUP_S), wall_s=cpu_total_s + STARTUP_S)


async def judge(
    bwrap: str,
    toolchain: Toolchain,
    spec: TestSpec,
    code: str,
    *,
    base_limits: Limits = DEFAULT_LIMITS,
    slot: int = 0,
    stop_at_first_timeout: bool = False,
) -> RunReport:
    """Every case's result; `stop_at_first_timeout` ends the run at the first case too slow."""
    spec = spec.for_language(toolchain.language)
    report = RunReport(spec.question, toolchain.language, spec.time_limit_ms)
    limits = run_limits(spec, base_limits)
    start, restarts = 0, 0
    while start < len(spec.cases):
        batch = await _run_batch(
            bwrap, toolchain, spec, code, start, limits, slot, report, stop_at_first_timeout
        )
        report.cases += batch.results
        start += len(batch.results)
        if report.load_error or not batch.fatal:
            break
        restarts += 1
        if restarts > MAX_RESTARTS or stop_at_first_timeout:
            break
    for case in spec.cases[len(report.cases) :]:
        report.cases.append(CaseResult(case.name, case.hidden, "not_run"))
    return report


async def _run_batch(
    bwrap: str,
    toolchain: Toolchain,
    spec: TestSpec,
    code: str,
    start: int,
    limits: Limits,
    slot: int,
    report: RunReport,
    stop_at_first_timeout: bool,
) -> _Batch:
    cases = spec.cases[start:]
    request = {"code": code, "function": spec.functions[toolchain.language]}
    request["cases"] = [case.args for case in cases]  # type: ignore[assignment]
    async with sandboxed(bwrap, toolchain.command(limits), limits, slot) as process:
        await process.send(json.dumps(request).encode())
        first = await _message(process, STARTUP_S)
        if first is None or "ready" not in first:
            ended = await process.finish()
            if first and "load_error" in first:
                report.load_error = str(first["load_error"])
            else:
                status = _death_status(ended, first)
                report.crash = ended.output[-2000:] if status == "error" else ""
                return _Batch([_died(cases[0], status, ended)], fatal=True)
            return _Batch([], fatal=False)
        return await _read_cases(process, spec, cases, report, stop_at_first_timeout)


async def _read_cases(
    process: SandboxProcess,
    spec: TestSpec,
    cases: tuple[Case, ...],
    report: RunReport,
    stop_at_first_timeout: bool,
) -> _Batch:
    factor, grace = (
        (NAIVE_WALL_FACTOR, NAIVE_WALL_GRACE_S)
        if stop_at_first_timeout
        else (WALL_FACTOR, WALL_GRACE_S)
    )
    timeout = spec.time_limit_ms / 1000 * factor + grace
    results: list[CaseResult] = []
    for case in cases:
        message = await _message(process, timeout)
        if message is None or "killed" in message:
            ended = await process.finish()
            status = _death_status(ended, message)
            if status == "error":
                report.crash = ended.output[-2000:]
            results.append(_died(case, status, ended))
            return _Batch(results, fatal=len(results) < len(cases))
        results.append(_case_result(spec, case, message))
        if stop_at_first_timeout and results[-1].status == "timeout":
            return _Batch(results, fatal=True)
    return _Batch(results, fatal=False)


async def _message(process: SandboxProcess, wait_s: float) -> dict[str, Any] | None:
    """The harness's next message; {"killed": reason} when the sandbox had to be stopped."""
    try:
        line = await process.read_line(wait_s)
    except TimeoutError:
        process.kill()
        return {"killed": "timeout"}
    except OutputLimit:
        return {"killed": "output_limit"}
    if line is None:
        return None
    try:
        message = json.loads(line)
    except ValueError:
        process.kill()
        return {"killed": "protocol"}
    return message if isinstance(message, dict) else {"killed": "protocol"}


def _death_status(ended: Exit, message: dict[str, Any] | None) -> Status:
    reason = (message or {}).get("killed")
    if ended.output_exceeded or reason == "output_limit":
        return "output_limit"
    if reason == "timeout" or ended.signal == signal.SIGXCPU:
        return "timeout"
    if (message or {}).get("memory") or OUT_OF_MEMORY.search(ended.output):
        return "memory"
    if ended.signal == signal.SIGKILL and reason is None:
        return "timeout"  # RLIMIT_CPU's hard limit
    return "error"


def _died(case: Case, status: Status, ended: Exit) -> CaseResult:
    tail = "\n".join(ended.output.strip().splitlines()[-6:])
    return CaseResult(case.name, case.hidden, status, error=tail if status == "error" else "")


def _case_result(spec: TestSpec, case: Case, message: dict[str, Any]) -> CaseResult:
    result = CaseResult(case.name, case.hidden, "passed", expected=case.expected)
    if message.get("memory"):
        result.status = "memory"
        return result
    if "error" in message:
        result.status, result.error = "error", str(message["error"])
        return result
    result.time_ms = float(message.get("ms", 0.0))
    result.got = message.get("got")
    # CPU time decides: a busy machine must not fail a fast solution.
    if float(message.get("cpu_ms", result.time_ms)) > spec.time_limit_ms:
        result.status = "timeout"
    elif not matches(spec.compare, result.got, case.expected):
        result.status = "failed"
    return result
