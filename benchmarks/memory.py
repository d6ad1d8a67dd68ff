"""Resident memory of the bot serving many guilds, each with a daily schedule (goal < 200 MB).

The real bot runs as a child process (`python -m bot run`) against the Discord emulator in this
process, on a SQLite file in which every guild has a daily schedule (so every guild has its cron
job). Its resident set size (VmRSS) and peak (VmHWM) are read from /proc after the `ready:` log
line, and again after a quiet spell. A one-guild run first gives the fixed cost of the process.

    .venv/bin/python benchmarks/memory.py [--guilds 1000] [--settle 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain.schedule import parse_post_time
from bot.store import Store
from emulator import DiscordEmulator

REPO = Path(__file__).resolve().parents[1]
GOAL_MB = 200
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Australia/Sydney")


@dataclass(frozen=True)
class Sample:
    guilds: int
    startup_s: float
    rss_ready_mb: float
    rss_settled_mb: float
    peak_mb: float


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB from /proc/<pid>/status."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


async def schedule_every_guild(db_path: Path, channels: dict[int, int]) -> None:
    """A schedule per guild, set just now: today's times already past are not caught up."""
    store = Store(db_path)
    await store.open()
    now = datetime.now(UTC)
    try:
        for index, (guild_id, channel_id) in enumerate(channels.items()):
            await store.guilds.save_schedule(
                guild_id,
                channel_id=channel_id,
                post_time=parse_post_time(f"{index % 24:02d}:{index * 7 % 60:02d}"),
                timezone=ZONES[index % len(ZONES)],
                ping_role_id=None,
                config_channel_id=None,
                now=now,
            )
    finally:
        await store.close()


async def measure(guild_count: int, settle_s: float) -> Sample:
    async with DiscordEmulator() as emu:
        channels = {}
        for i in range(guild_count):
            guild = emu.add_guild(f"Study Server {i}")
            channels[guild.id] = emu.add_text_channel(guild, "daily").id
            emu.add_text_channel(guild, "general")
            emu.add_role(guild, "Study", mentionable=True)
        with tempfile.TemporaryDirectory() as folder:
            db_path = Path(folder) / "bot.db"
            await schedule_every_guild(db_path, channels)
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("DISCORD_", "BOT_", "ANTHROPIC_"))
            }
            env.update(
                PYTHONPATH=str(REPO),
                DISCORD_TOKEN="emulator-token",
                DISCORD_API_BASE_URL=emu.api_base_url,
                DISCORD_GATEWAY_URL=emu.gateway_url,
                BOT_DATABASE_PATH=str(db_path),
                BOT_LOG_LEVEL="INFO",
            )
            started = time.perf_counter()
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=folder,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            assert proc.stderr is not None
            log: list[str] = []
            drain: asyncio.Task[None] | None = None
            try:
                async with asyncio.timeout(300):
                    while True:
                        raw = await proc.stderr.readline()
                        if not raw:
                            raise RuntimeError("the bot exited:\n" + "\n".join(log[-20:]))
                        log.append(raw.decode(errors="replace").rstrip())
                        if "ready:" in log[-1]:
                            break
                startup = time.perf_counter() - started
                rss_ready, _ = memory_mb(proc.pid)
                drain = asyncio.create_task(_drain(proc.stderr))
                await asyncio.sleep(settle_s)
                rss_settled, peak = memory_mb(proc.pid)
                print(f"  {log[-1].split('bot: ', 1)[-1]}")
            finally:
                if proc.returncode is None:
                    proc.terminate()
                    await proc.wait()
                if drain is not None:
                    drain.cancel()
    return Sample(guild_count, startup, rss_ready, rss_settled, peak)


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.readline():
        pass


def show(sample: Sample) -> None:
    print(
        f"  {sample.guilds} guild(s): ready after {sample.startup_s:.1f} s; RSS at ready "
        f"{sample.rss_ready_mb:.1f} MB, after settling {sample.rss_settled_mb:.1f} MB, "
        f"peak {sample.peak_mb:.1f} MB"
    )


async def run(guild_count: int, settle_s: float) -> None:
    print("baseline:")
    base = await measure(1, settle_s)
    show(base)
    print(f"{guild_count} guilds, each with a daily schedule:")
    many = await measure(guild_count, settle_s)
    show(many)
    per_guild_kb = (many.rss_settled_mb - base.rss_settled_mb) * 1024 / max(1, guild_count - 1)
    verdict = "met" if many.peak_mb < GOAL_MB else "NOT met"
    print(
        f"per guild: {per_guild_kb:.1f} kB above the baseline; goal < {GOAL_MB} MB (peak): "
        f"{verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guilds", type=int, default=1000)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after ready")
    parser.add_argument("--quick", action="store_true", help="20 guilds, the same code path")
    args = parser.parse_args()
    if args.quick:
        args.guilds, args.settle = 20, 0.5
    asyncio.run(run(args.guilds, args.settle))


if __name__ == "__main__":
    main()
