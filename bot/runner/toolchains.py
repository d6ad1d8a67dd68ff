"""Each language's toolchain, found at start and proved to run inside the sandbox."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.runner.sandbox import MERGED_USR_LINKS, SYSTEM_DIRS, Limits, find_bwrap, sandboxed

CANDIDATES = {
    "python": ("/usr/bin/python3", "/usr/local/bin/python3"),
    "javascript": ("/usr/bin/node", "/usr/bin/nodejs", "/usr/local/bin/node"),
}
PACKAGES = {"python": "python3 (Debian: python3)", "javascript": "Node.js (Debian: nodejs)"}
LABELS = {"python": "Python", "javascript": "JavaScript (Node.js)"}
HARNESS_FILES = {"python": "python_harness.py", "javascript": "js_harness.js"}
PROBE_TIMEOUT_S = 20.0
SANDBOX_PROBE = "/usr/bin/true"


@dataclass(frozen=True)
class Toolchain:
    language: str
    executable: str
    version: str

    def command(self, limits: Limits) -> list[str]:
        harness = resources.files("bot.runner.harness").joinpath(HARNESS_FILES[self.language])
        source = harness.read_text("utf-8")
        if self.language == "python":
            return [self.executable, "-I", "-S", "-B", "-c", source]
        heap_mb = max(limits.memory_mb * 3 // 4, 64)
        heap = f"--max-old-space-size={heap_mb}"
        return [self.executable, heap, "--stack-size=16000", "-e", source]


@dataclass(frozen=True)
class Discovery:
    """What can run here: bwrap's path (None: code execution is off) and each working toolchain."""

    bwrap: str | None
    toolchains: dict[str, Toolchain]
    problems: dict[str, str]  # "sandbox" or a language -> what is wrong and what to do

    @property
    def enabled(self) -> bool:
        return self.bwrap is not None and bool(self.toolchains)


def _reachable(executable: str) -> str | None:
    """The path of `executable` if it lives in the read-only system the sandbox mounts."""
    real = Path(executable).resolve()
    roots = [Path(d) for d in SYSTEM_DIRS] + [Path("/", n) for n in MERGED_USR_LINKS]
    if real.is_file() and os.access(real, os.X_OK) and any(real.is_relative_to(r) for r in roots):
        return executable
    return None


async def _version_inside(bwrap: str, executable: str) -> tuple[str | None, str]:
    limits = Limits(wall_s=PROBE_TIMEOUT_S)
    async with sandboxed(bwrap, [executable, "--version"], limits) as process:
        await process.send(b"")
        first_line = await process.read_line(PROBE_TIMEOUT_S)
        ended = await process.finish()
    if ended.returncode == 0:
        return (first_line or b"").decode("utf-8", "replace").strip() or executable, ""
    return None, ended.output.strip()[-300:] or f"exit status {ended.returncode}"


async def discover() -> Discovery:
    bwrap = find_bwrap()
    if bwrap is None:
        reason = "bubblewrap is not installed (Debian: apt-get install bubblewrap): code is not run"
        return Discovery(None, {}, {"sandbox": reason})
    works, error = await _version_inside(bwrap, SANDBOX_PROBE)
    if works is None:
        reason = f"bubblewrap cannot create a sandbox here ({error}): code execution is off"
        return Discovery(None, {}, {"sandbox": reason})
    found: dict[str, Toolchain] = {}
    problems: dict[str, str] = {}
    for language, candidates in CANDIDATES.items():
        executable = next((c for c in candidates if _reachable(c)), None)
        if executable is None:
            problems[language] = f"{PACKAGES[language]} is not installed under /usr"
            continue
        version, error = await _version_inside(bwrap, executable)
        if version is None:
            problems[language] = f"{executable} does not start in the sandbox: {error}"
            continue
        found[language] = Toolchain(language, executable, version)
    return Discovery(bwrap, found, problems)
