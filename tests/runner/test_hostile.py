"""Hostile code on the real sandbox: each attack ends with a clear verdict and nothing leaks.

Each program is a solution of `solve(probe)`. It returns "contained" when the attack failed, or
what it managed to see; the runs that must be stopped have the verdict that says why.
"""

from __future__ import annotations

import asyncio
import os
import socket
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from bot.runner.judge import judge
from bot.runner.report import RunReport
from bot.runner.sandbox import SLOT_UID_BASE, Limits
from bot.runner.spec import TestSpec, parse_spec
from bot.runner.toolchains import Discovery

SECRET = "hostile-test-secret-4b1d"
HERE = Path(__file__).resolve()
HOST_FILES = [str(HERE.parents[2] / ".env"), str(Path.home() / ".bashrc"), "/etc/passwd", str(HERE)]
FAST = Limits(memory_mb=256, output_bytes=16 * 1024)


def _spec(probe: Any) -> TestSpec:
    cases = [
        {"name": f"case {i}", "hidden": i >= 3, "args": [probe], "expected": "contained"}
        for i in range(11)
    ]
    return parse_spec(
        {
            "question": "hostile",
            "function": {"python": "solve"},
            "signature": "def solve(probe)",
            "compare": "exact",
            "time_limit_ms": 300,
            "cases": cases,
            "reference": {"python": "def solve(probe):\n    return 'contained'\n"},
        }
    )


def _blocked(body: str) -> str:
    """A solution that tries `body` and reports whether it got through."""
    return (
        "def solve(probe):\n    try:\n"
        + textwrap.indent(body, "        ")
        + ("\n    except Exception:\n        return 'contained'\n    return 'LEAKED'\n")
    )


ATTACKS: dict[str, tuple[str, str]] = {
    "infinite loop": ("def solve(probe):\n    while True:\n        pass\n", "timeout"),
    "sleep past the wall limit": (
        "import time\ndef solve(probe):\n    time.sleep(60)\n",
        "timeout",
    ),
    "fork bomb": ("import os\ndef solve(probe):\n    while True:\n        os.fork()\n", "error"),
    "allocate 4 GB": ("def solve(probe):\n    return len(bytearray(4 << 30))\n", "memory"),
    "1 GB to stdout": (
        "import sys\ndef solve(probe):\n    for _ in range(1024):\n"
        "        sys.stdout.write('x' * (1 << 20))\n",
        "output_limit",
    ),
    "connect to the bot's loopback port": (
        _blocked("import socket\nsocket.create_connection(('127.0.0.1', probe['port']), 2)"),
        "passed",
    ),
    "connect to the internet": (
        _blocked("import socket\nsocket.create_connection(('1.1.1.1', 53), 2)"),
        "passed",
    ),
    "read the environment": (
        "import os\ndef solve(probe):\n"
        "    seen = str(dict(os.environ)) + open('/proc/self/environ').read()\n"
        "    return 'LEAKED' if probe['secret'] in seen or 'TOKEN' in seen else 'contained'\n",
        "passed",
    ),
    "read the bot's /proc/<pid>/environ": (
        _blocked(
            "data = open(f\"/proc/{probe['pid']}/environ\").read()\nassert probe['secret'] in data"
        ),
        "passed",
    ),
    "read the bot's files, .env and home": (
        "def solve(probe):\n    for path in probe['files']:\n        try:\n"
        "            open(path).read()\n            return 'LEAKED ' + path\n"
        "        except OSError:\n            pass\n    return 'contained'\n",
        "passed",
    ),
    "write outside its tmpfs": (
        textwrap.dedent("""
            def solve(probe):
                for path in ('/usr/x', '/x', '/proc/sys/kernel/hostname', probe['sentinel']):
                    try:
                        open(path, 'w').write('pwned')
                        return 'LEAKED ' + path
                    except OSError:
                        pass
                return 'contained'
        """),
        "passed",
    ),
    "a file bigger than the limit": (
        _blocked("with open('/tmp/big', 'wb') as f:\n    f.write(b'x' * (64 << 20))"),
        "passed",
    ),
    "signal its parent and everything": (
        "import os, signal\ndef solve(probe):\n    os.kill(os.getppid(), signal.SIGKILL)\n"
        "    os.kill(-1, signal.SIGKILL)\n",
        "error",
    ),
    "who am I": (
        textwrap.dedent("""
            import os, socket
            def solve(probe):
                caps = [line for line in open('/proc/self/status') if line.startswith('CapEff')]
                ids = (os.getuid(), caps[0].split()[1])
                seen = (*ids, socket.gethostname(), socket.if_nameindex())
                wanted = (65534, '0' * 16, 'sandbox', [(1, 'lo')])
                return 'contained' if seen == wanted else f'LEAKED {seen}'
        """),
        "passed",
    ),
}


def _slot_processes(slot: int) -> list[int]:
    uid = SLOT_UID_BASE + slot
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
            except FileNotFoundError:
                pass
    return found


@pytest.mark.parametrize(
    ("name", "expected"), [(k, v[1]) for k, v in ATTACKS.items()], ids=list(ATTACKS)
)
async def test_hostile_code_is_contained(
    sandbox: Discovery, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, expected: str
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    sentinel = tmp_path / "sentinel.txt"
    sentinel.write_text(SECRET)
    listener = socket.create_server(("127.0.0.1", 0))
    probe = {
        "port": listener.getsockname()[1],
        "secret": SECRET,
        "pid": os.getpid(),
        "sentinel": str(sentinel),
        "files": [
            str(sentinel),
            *HOST_FILES,
        ],
    }
    assert sandbox.bwrap is not None
    slot = 10 + list(ATTACKS).index(name)  # its own uid: tests run in parallel
    started = time.monotonic()
    with listener:
        report = await judge(
            sandbox.bwrap,
            sandbox.toolchains["python"],
            _spec(probe),
            ATTACKS[name][0],
            base_limits=FAST,
            slot=slot,
        )
    assert report.verdict == expected, _describe(report)
    assert time.monotonic() - started < 60
    assert "LEAKED" not in str([case.got for case in report.cases])
    assert sentinel.read_text() == SECRET
    if os.geteuid() == 0:
        _wait_until_gone(slot)


def _wait_until_gone(slot: int) -> None:
    """Every process of the run's uid ends (the kernel reaps a dead PID namespace promptly)."""
    deadline = time.monotonic() + 10
    while (left := _slot_processes(slot)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left == []


def _describe(report: RunReport) -> str:
    return "\n".join(
        f"{c.name}: {c.status} {str(c.got)[:80]} {c.error[-200:]}" for c in report.cases
    )


async def test_the_bot_keeps_serving_while_code_runs(sandbox: Discovery) -> None:
    assert sandbox.bwrap is not None
    spec = _spec({})
    run = asyncio.create_task(
        judge(sandbox.bwrap, sandbox.toolchains["python"], spec, ATTACKS["infinite loop"][0])
    )
    gaps: list[float] = []
    last = time.monotonic()
    while not run.done():
        await asyncio.sleep(0.01)
        now = time.monotonic()
        gaps.append(now - last)
        last = now
    assert (await run).verdict == "timeout"
    assert max(gaps) < 0.5
