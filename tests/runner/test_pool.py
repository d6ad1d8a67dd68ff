"""The pool: one run per slot, the others wait in line and are told their position."""

from __future__ import annotations

import asyncio

from bot.runner.pool import CodeRunner
from bot.runner.spec import find_tests, load_spec
from bot.runner.toolchains import Discovery

QUESTION = "pin-coding-rotate-pin-image"


async def test_runs_beyond_the_slots_wait_and_learn_their_place(sandbox: Discovery) -> None:
    spec = load_spec(find_tests(QUESTION))  # type: ignore[arg-type]
    runner = CodeRunner(sandbox, slots=1)
    positions: list[int] = []

    async def told(position: int) -> None:
        positions.append(position)

    first = asyncio.create_task(runner.run(spec, "python", "def f(:\n"))
    await asyncio.sleep(0)  # the first run takes the only slot before the others arrive
    rest = [runner.run(spec, "python", spec.reference["python"], on_queued=told) for _ in range(2)]
    reports = await asyncio.gather(first, *rest)
    assert [report.verdict for report in reports] == ["load_error", "passed", "passed"]
    assert sorted(positions) == [1, 2]
    assert runner.waiting == 0
