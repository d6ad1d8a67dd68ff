"""bubblewrap, and nothing less: every run gets its own namespaces, an empty environment, no
capabilities, a read-only system, a private tmpfs and hard limits. Without bubblewrap nothing runs.

Each pool slot runs as its own unprivileged host uid when the bot is root (so one run's fork bomb
cannot use up another's process limit); inside, the code is uid 65534 in a fresh user namespace.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import resource
import shutil
import signal
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

SANDBOX_UID = 65534
# Host uids of the pool's slots when the bot runs as root: slot n runs as SLOT_UID_BASE + n.
SLOT_UID_BASE = 62000
SYSTEM_DIRS = ("/usr",)
MERGED_USR_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


@dataclass(frozen=True)
class Limits:
    cpu_s: int = 10
    wall_s: float = 15.0
    memory_mb: int = 512
    processes: int = 32
    file_mb: int = 8
    tmpfs_mb: int = 16
    output_bytes: int = 64 * 1024  # the program's own prints (stdout and stderr together)
    result_bytes: int = 32 * 1024 * 1024  # the harness's result lines

    def setrlimits(self) -> None:
        """Runs in the child between fork and exec: the limits follow bwrap into the sandbox."""
        memory = self.memory_mb << 20
        for limit, value in (
            (resource.RLIMIT_CPU, self.cpu_s),
            (resource.RLIMIT_DATA, memory),
            (resource.RLIMIT_NPROC, self.processes),
            (resource.RLIMIT_FSIZE, self.file_mb << 20),
            (resource.RLIMIT_CORE, 0),
            (resource.RLIMIT_NOFILE, 64),
            (resource.RLIMIT_STACK, 64 << 20),
            (resource.RLIMIT_MEMLOCK, 0),
        ):
            resource.setrlimit(limit, (value, value))


def find_bwrap() -> str | None:
    return shutil.which("bwrap", path="/usr/bin:/bin:/usr/local/bin")


@functools.cache
def _supports(bwrap: str, option: str) -> bool:
    """Whether this bwrap knows `option` (older releases lack --disable-userns and --size)."""
    try:
        shown = subprocess.run(
            [bwrap, "--help"], capture_output=True, text=True, timeout=10, check=False, env={}
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return option in shown.stdout + shown.stderr


def _optional(bwrap: str, option: str, *values: str) -> list[str]:
    return [option, *values] if _supports(bwrap, option) else []


def _system_binds() -> list[str]:
    args: list[str] = []
    for directory in SYSTEM_DIRS:
        args += ["--ro-bind", directory, directory]
    for name in MERGED_USR_LINKS:
        host = Path("/") / name
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            args += ["--ro-bind", str(host), str(host)]
    return args


def bwrap_argv(bwrap: str, limits: Limits, command: list[str]) -> list[str]:
    return [
        bwrap,
        "--unshare-all",  # net (loopback only), pid, ipc, uts, cgroup
        "--unshare-user",
        *_optional(bwrap, "--disable-userns"),
        "--uid", str(SANDBOX_UID),
        "--gid", str(SANDBOX_UID),
        "--hostname", "sandbox",
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",
        "--clearenv",
        *_system_binds(),
        "--proc", "/proc",
        "--dev", "/dev",
        *_optional(bwrap, "--size", str(limits.tmpfs_mb << 20)),
        "--tmpfs", "/tmp",
        "--remount-ro", "/",
        "--chdir", "/tmp",
        "--",
        *command,
    ]  # fmt: skip


class OutputLimit(Exception):
    """The program printed more than the limit allows."""


@dataclass
class Exit:
    returncode: int
    output: str  # the first `output_bytes` of what the program printed
    output_exceeded: bool

    @property
    def signal(self) -> int | None:
        return -self.returncode if self.returncode < 0 else None


class SandboxProcess:
    """One program in the sandbox: results read line by line, prints collected up to a cap."""

    def __init__(self, process: asyncio.subprocess.Process, limits: Limits) -> None:
        self._process = process
        self._limits = limits
        self._output = bytearray()
        self.output_exceeded = False
        self._drain = asyncio.create_task(self._collect_output())

    async def _collect_output(self) -> None:
        assert self._process.stderr is not None
        while chunk := await self._process.stderr.read(65536):
            room = self._limits.output_bytes - len(self._output)
            self._output += chunk[: max(room, 0)]
            if len(chunk) > room:
                self.output_exceeded = True
                self.kill()
                return

    async def send(self, data: bytes) -> None:
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._process.stdin.write(data)
            await self._process.stdin.drain()
        self._process.stdin.close()

    async def read_line(self, wait_s: float) -> bytes | None:
        """The next result line; None once the program has ended. Raises TimeoutError."""
        assert self._process.stdout is not None
        try:
            line = await asyncio.wait_for(self._process.stdout.readline(), wait_s)
        except (ValueError, asyncio.LimitOverrunError):
            self.kill()
            raise OutputLimit from None
        return line or None

    def kill(self) -> None:
        # bwrap's inner init dies with it (--die-with-parent), and the PID namespace with it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)

    async def finish(self) -> Exit:
        try:
            returncode = await asyncio.wait_for(self._process.wait(), self._limits.wall_s)
        except TimeoutError:
            self.kill()
            returncode = await self._process.wait()
        await self._drain
        return Exit(returncode, self._output.decode("utf-8", "replace"), self.output_exceeded)


@contextlib.asynccontextmanager
async def sandboxed(
    bwrap: str, command: list[str], limits: Limits, slot: int = 0
) -> AsyncIterator[SandboxProcess]:
    """Start `command` in a fresh sandbox; it is killed on leaving the block."""
    as_root = os.geteuid() == 0
    uid = SLOT_UID_BASE + slot if as_root else None
    process = await asyncio.create_subprocess_exec(
        *bwrap_argv(bwrap, limits, command),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={},
        cwd="/",
        start_new_session=True,
        preexec_fn=limits.setrlimits,
        user=uid,
        group=uid,
        extra_groups=[] if as_root else None,
        limit=limits.result_bytes,
    )
    running = SandboxProcess(process, limits)
    try:
        yield running
    finally:
        running.kill()
        await running.finish()
