"""`python -m bot run` as a real child process, pointed at an emulator in the test process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from emulator import DiscordEmulator

REPO = Path(__file__).resolve().parents[2]


class BotProcess:
    """Start, SIGKILL and restart the bot; its stderr (the log) is collected in `lines`."""

    def __init__(
        self,
        emu: DiscordEmulator,
        db_path: Path,
        *,
        cwd: Path,
        env: Mapping[str, str] | None = None,
        prefix: Sequence[str] = (),
    ) -> None:
        self.emu = emu
        # Run under this command (e.g. `ip netns exec NAME`: the process on a host of its own).
        self.prefix = list(prefix)
        self.db_path = db_path
        self.cwd = cwd
        self.extra_env = dict(env or {})
        self.lines: list[str] = []
        self.proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self.starts = 0

    def environment(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DISCORD_", "BOT_", "ANTHROPIC_"))
        }
        env.update(
            PYTHONPATH=str(REPO),
            DISCORD_TOKEN="emulator-token",
            DISCORD_API_BASE_URL=self.emu.api_base_url,
            DISCORD_GATEWAY_URL=self.emu.gateway_url,
            BOT_DATABASE_PATH=str(self.db_path),
            BOT_LOG_LEVEL="INFO",
            BOT_COOLDOWNS="false",
        )
        env.update(self.extra_env)
        return env

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid

    async def spawn(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            *self.prefix,
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=self.cwd,
            env=self.environment(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self.starts += 1
        self._reader = asyncio.create_task(self._read(self.proc))

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stderr is not None
        async for raw in proc.stderr:
            self.lines.append(raw.decode(errors="replace").rstrip())

    async def start(self, within: float = 30.0) -> None:
        """Spawn and wait until the new process identified on the gateway and got its guilds
        (interactions are answered from then on; `on_ready` comes later, after a quiet spell)."""
        spawned_at = time.monotonic()
        await self.spawn()
        deadline = spawned_at + within
        while not any(s.connected and s.identified_at > spawned_at for s in self.emu.sessions):
            self._check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError("the bot process did not connect:\n" + self.tail())
            await asyncio.sleep(0.02)
        await self.emu.flush()

    async def wait_for_line(self, prefix: str, within: float = 30.0) -> str:
        deadline = time.monotonic() + within
        while True:
            found = next((line for line in self.lines if prefix in line), None)
            if found is not None:
                return found
            self._check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"no log line with {prefix!r}:\n" + self.tail())
            await asyncio.sleep(0.02)

    def _check_alive(self) -> None:
        if self.proc is not None and self.proc.returncode is not None:
            raise RuntimeError(f"the bot exited with {self.proc.returncode}:\n" + self.tail())

    def tail(self, n: int = 30) -> str:
        return "\n".join(self.lines[-n:])

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an OOM kill."""
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        await self._finish_reader()

    async def stop(self, within: float = 10.0) -> int:
        """SIGTERM and wait: a clean shutdown within the 10 s allowed; returns the exit code."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), within)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
                raise TimeoutError(
                    f"the bot did not exit within {within:g} s of SIGTERM:\n" + self.tail()
                ) from None
        await self._finish_reader()
        assert self.proc.returncode is not None
        return self.proc.returncode

    async def _finish_reader(self) -> None:
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._reader, 5.0)
            self._reader = None
