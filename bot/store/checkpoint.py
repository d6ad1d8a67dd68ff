"""WAL checkpoints off the write path.

A checkpoint copies the write-ahead log back into the database file and syncs it, which takes
10-25 ms on this kind of disk. Left to SQLite, it runs inside whichever commit pushes the log
past `wal_autocheckpoint` pages, so one write in a few dozen pays for it and the p99 of every
write is a checkpoint. Here a second connection checkpoints PASSIVE-ly (never blocking a writer
or a reader) on a timer, and the main connection's own threshold is raised to a safety net that
only a burst far above the bot's write rate reaches.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 0.25
# Pages (4 KiB) of log the main connection may hold before it checkpoints by itself.
SAFETY_NET_PAGES = 20_000


class Checkpointer:
    def __init__(self, path: Path, interval: float = INTERVAL_SECONDS) -> None:
        self._path = path
        self._interval = interval
        self._conn: aiosqlite.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, main: aiosqlite.Connection) -> None:
        await main.execute(f"PRAGMA wal_autocheckpoint = {SAFETY_NET_PAGES}")
        self._conn = await aiosqlite.connect(self._path, isolation_level=None)
        await self._conn.execute("PRAGMA busy_timeout = 5000")
        self._task = asyncio.get_running_loop().create_task(self._run(), name="wal-checkpoint")

    async def _run(self) -> None:
        assert self._conn is not None
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except aiosqlite.Error as exc:
                log.warning("background checkpoint failed: %s", exc)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
