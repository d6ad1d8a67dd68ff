"""Code runner: sandbox start overhead, runs per second with the pool full, p50/p99 to a result.

1. Overhead: the same program (Python doing nothing, Node doing nothing) started bare and inside
   the bubblewrap sandbox, sequentially; the difference is what the sandbox costs per run.
2. Throughput and latency: N members press "Run tests" at once on a 10-case question (the
   reference Python solution of pin-coding-rotate-pin-image, first 10 cases) through the real
   pool (one slot per core); runs per second overall, and p50/p99 from the press to the result,
   queueing included.

    .venv/bin/python benchmarks/sandbox.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.runner.pool import CodeRunner
from bot.runner.sandbox import Limits, sandboxed
from bot.runner.spec import load_spec, path_of_tests
from bot.runner.toolchains import Toolchain

QUESTION = "pin-coding-rotate-pin-image"
NOTHING = {"python": ["-I", "-S", "-c", "pass"], "javascript": ["-e", "0"]}


def _bare_ms(toolchain: Toolchain) -> float:
    started = time.perf_counter()
    subprocess.run([toolchain.executable, *NOTHING[toolchain.language]], check=True, env={})
    return (time.perf_counter() - started) * 1000


async def _sandboxed_ms(bwrap: str, toolchain: Toolchain) -> float:
    started = time.perf_counter()
    command = [toolchain.executable, *NOTHING[toolchain.language]]
    async with sandboxed(bwrap, command, Limits()) as process:
        await process.send(b"")
        ended = await process.finish()
    assert ended.returncode == 0, ended.output
    return (time.perf_counter() - started) * 1000


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def overhead(runner: CodeRunner, runs: int) -> None:
    assert runner.discovery.bwrap is not None
    for language, toolchain in runner.discovery.toolchains.items():
        bare_runs, boxed_runs = [], []
        for _ in range(runs):  # interleaved, so that a busy machine weighs on both alike
            bare_runs.append(_bare_ms(toolchain))
            boxed_runs.append(await _sandboxed_ms(runner.discovery.bwrap, toolchain))
        bare, boxed = statistics.median(bare_runs), statistics.median(boxed_runs)
        print(
            f"{language:10} start: bare {bare:6.1f} ms, sandboxed {boxed:6.1f} ms, "
            f"overhead {boxed - bare:6.1f} ms per run (median of {runs})"
        )


async def throughput(runner: CodeRunner, members: int) -> None:
    spec = load_spec(path_of_tests(QUESTION))
    spec = replace(spec, cases=spec.cases[:10])
    code = spec.reference["python"]

    async def press() -> float:
        pressed = time.perf_counter()
        report = await runner.run(spec, "python", code)
        assert report.verdict == "passed", report.verdict
        return (time.perf_counter() - pressed) * 1000

    started = time.perf_counter()
    latencies = await asyncio.gather(*(press() for _ in range(members)))
    elapsed = time.perf_counter() - started
    p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
    print(
        f"{members} runs of a 10-case question on {runner.slots} slots: "
        f"{members / elapsed:.1f} runs/s; press to result p50 {p50:.0f} ms, p99 {p99:.0f} ms"
    )


async def main(quick: bool) -> int:
    runner = await CodeRunner.start()
    if not runner.languages:
        print(f"skipped: code execution is off here: {runner.off_reason}")
        return 0
    await overhead(runner, 5 if quick else 40)
    await throughput(runner, 6 if quick else 200)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, same code paths")
    sys.exit(asyncio.run(main(parser.parse_args().quick)))
