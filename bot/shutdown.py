"""Ending background work at shutdown, inside the process's one shutdown budget."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from typing import Any

log = logging.getLogger(__name__)


async def finish_or_cancel(
    tasks: Collection[asyncio.Task[Any]], *, finish_by: float, unwound_by: float
) -> int:
    """Let `tasks` finish until `finish_by` (the loop's clock), then cancel the rest and wait
    until `unwound_by` for them to unwind, so none is still using a connection when the caller
    closes it. Returns how many were cancelled."""
    if not tasks:
        return 0
    loop = asyncio.get_running_loop()
    _, pending = await asyncio.wait(tasks, timeout=max(finish_by - loop.time(), 0.0))
    for task in pending:
        task.cancel()
    if pending:
        _, stuck = await asyncio.wait(pending, timeout=max(unwound_by - loop.time(), 0.01))
        if stuck:
            log.warning("%d background task(s) still unwinding at shutdown", len(stuck))
    return len(pending)
