"""A bounded pool of sandbox slots: one run per core by default, the rest wait in line."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable

from bot.runner.judge import DEFAULT_LIMITS, judge
from bot.runner.report import RunReport
from bot.runner.sandbox import Limits
from bot.runner.spec import TestSpec
from bot.runner.toolchains import LABELS, Discovery, discover

OnQueued = Callable[[int], Awaitable[None]]


class ExecutionOff(Exception):
    """Code cannot run here (no sandbox, or not this language); the message says why."""


class CodeRunner:
    def __init__(
        self, discovery: Discovery, slots: int | None = None, limits: Limits = DEFAULT_LIMITS
    ) -> None:
        self.discovery = discovery
        self.slots = max(1, slots or os.cpu_count() or 1)
        self._limits = limits
        self._free: asyncio.Queue[int] = asyncio.Queue()
        for slot in range(self.slots):
            self._free.put_nowait(slot)
        self._waiting = 0

    @classmethod
    async def start(cls, slots: int | None = None) -> CodeRunner:
        return cls(await discover(), slots)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages members may use here, in menu order; empty when execution is off."""
        if not self.discovery.enabled:
            return ()
        return tuple(lang for lang in LABELS if lang in self.discovery.toolchains)

    @property
    def off_reason(self) -> str:
        return self.discovery.problems.get("sandbox", "")

    @property
    def waiting(self) -> int:
        return self._waiting

    async def run(
        self,
        spec: TestSpec,
        language: str,
        code: str,
        *,
        stop_at_first_timeout: bool = False,
        on_queued: OnQueued | None = None,
    ) -> RunReport:
        bwrap = self.discovery.bwrap
        toolchain = self.discovery.toolchains.get(language)
        if bwrap is None:
            raise ExecutionOff(self.off_reason or "code execution is off on this bot")
        if toolchain is None or language not in spec.functions:
            raise ExecutionOff(f"{LABELS.get(language, language)} cannot run here")
        if self._free.empty() and on_queued is not None:
            await on_queued(self._waiting + 1)
        self._waiting += 1
        try:
            slot = await self._free.get()
        finally:
            self._waiting -= 1
        try:
            return await judge(
                bwrap,
                toolchain,
                spec,
                code,
                base_limits=self._limits,
                slot=slot,
                stop_at_first_timeout=stop_at_first_timeout,
            )
        finally:
            self._free.put_nowait(slot)
