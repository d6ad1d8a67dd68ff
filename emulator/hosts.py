"""Bot processes on hosts of their own: each in a network namespace with its own address,
joined to this namespace by a veth link, as separate machines on one network would be.

Inside a namespace only its loopback and its link exist. A forwarder there makes the services
this namespace offers on 127.0.0.1 (the emulator, PostgreSQL, Redis) appear at the same ports on
the namespace's own 127.0.0.1, through the link, so a bot process needs no other settings; a
forwarder here takes each link's connections to the real services. Creating namespaces needs
root (CAP_SYS_ADMIN and CAP_NET_ADMIN); where it is refused, `isolated` is False, `refusal` says
why, and the processes run on this host's loopback instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

READY_WITHIN_S = 10.0
REPO = Path(__file__).resolve().parents[1]


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


class Hosts:
    """`count` namespaces; `prefix(i)` is the command prefix that runs a program on host i."""

    def __init__(self, count: int, ports: Sequence[int]) -> None:
        self.count = count
        self.ports = list(ports)
        tag = os.getpid() % 10000
        self._names = [f"bh{tag}n{i}" for i in range(count)]
        self._links = [f"bh{tag}v{i}" for i in range(count)]
        self._net = 100 + os.getpid() % 100
        self._forwarders: list[asyncio.subprocess.Process] = []
        self.isolated = False
        self.refusal = ""

    def address(self, index: int) -> str:
        """Host `index`'s own address on its link."""
        return f"10.{self._net}.{index}.2"

    def _gateway(self, index: int) -> str:
        return f"10.{self._net}.{index}.1"

    def prefix(self, index: int) -> list[str]:
        return ["ip", "netns", "exec", self._names[index]] if self.isolated else []

    async def __aenter__(self) -> Hosts:
        try:
            for index in range(self.count):
                self._create(index)
        except (OSError, subprocess.CalledProcessError) as exc:
            self.refusal = getattr(exc, "stderr", "") or str(exc)
            self._remove()
            return self
        self.isolated = True
        try:
            outer = [
                f"{self._gateway(i)}:{p}=127.0.0.1:{p}"
                for i in range(self.count)
                for p in self.ports
            ]
            await self._forwarder([], outer)
            for index in range(self.count):
                inner = [f"127.0.0.1:{p}={self._gateway(index)}:{p}" for p in self.ports]
                await self._forwarder(self.prefix(index), inner)
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self

    def _create(self, index: int) -> None:
        name, link, peer = self._names[index], self._links[index], self._links[index] + "p"
        _ip("netns", "add", name)
        _ip("link", "add", link, "type", "veth", "peer", "name", peer)
        _ip("link", "set", peer, "netns", name)
        _ip("addr", "add", f"{self._gateway(index)}/24", "dev", link)
        _ip("link", "set", link, "up")
        _ip("-n", name, "addr", "add", f"{self.address(index)}/24", "dev", peer)
        _ip("-n", name, "link", "set", peer, "up")
        _ip("-n", name, "link", "set", "lo", "up")

    async def _forwarder(self, prefix: list[str], pairs: list[str]) -> None:
        proc = await asyncio.create_subprocess_exec(
            *prefix,
            sys.executable,
            "-m",
            "emulator.forward",
            *pairs,
            cwd=REPO,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        self._forwarders.append(proc)
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), READY_WITHIN_S)
        if line.strip() != b"ready":
            error = (await proc.stderr.read()).decode() if proc.stderr else ""
            raise RuntimeError(f"a forwarder did not start: {error[-500:]}")

    def _remove(self) -> None:
        for name, link in zip(self._names, self._links, strict=True):
            with contextlib.suppress(OSError, subprocess.CalledProcessError):
                _ip("link", "del", link)  # removes its peer too
            with contextlib.suppress(OSError, subprocess.CalledProcessError):
                _ip("netns", "del", name)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for proc in self._forwarders:
            if proc.returncode is None:
                proc.kill()
            await proc.wait()
        self._forwarders.clear()
        if self.isolated:
            self._remove()
