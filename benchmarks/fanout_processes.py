"""The daily fan-out across processes: 1000 guilds over 4 shards due at the same moment, run by
1, 2 and 4 real `python -m bot run` processes that share PostgreSQL and the Redis limit.

Prints, per process count, the time from the first post to the last beside the floor Discord's
global limit allows (guilds / 50 s), the most requests the emulator saw in any one second, its
429s, and whether every guild got exactly one post. Needs PostgreSQL and Redis (the URLs below
default to the test ones); without them it says so and measures nothing.

    .venv/bin/python benchmarks/fanout_processes.py [--guilds 1000] [--processes 1,2,4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.sharding import shard_of
from emulator import DiscordEmulator
from emulator.fleet import busiest_second, schedule_all_due_now
from tests.databases import fresh_schema
from tests.e2e.bot_process import BotProcess

SHARDS = 4
GLOBAL_LIMIT = 50
GOAL_RATIO = 1.15


def split(shards: int, processes: int) -> list[str]:
    """Shard ids per process, as evenly as they go: 4 over 2 is `0,1` and `2,3`."""
    return [
        ",".join(str(s) for s in range(shards) if s * processes // shards == p)
        for p in range(processes)
    ]


def process_spans(
    emu: DiscordEmulator, channels: dict[int, Any], plans: list[str]
) -> list[tuple[float, float]]:
    """When each process sent its first and last post, from the first post of all."""
    sent: dict[int, list[float]] = {}
    for request in emu.requests:
        if request.method == "POST" and request.status == 200 and request.json:
            for guild_id, channel in channels.items():
                if request.path == f"/channels/{channel.id}/messages":
                    shard = shard_of(guild_id, SHARDS)
                    index = next(i for i, ids in enumerate(plans) if str(shard) in ids.split(","))
                    sent.setdefault(index, []).append(request.time)
    start = min(min(times) for times in sent.values())
    return [(round(min(sent[i]) - start, 2), round(max(sent[i]) - start, 2)) for i in sorted(sent)]


async def run(guilds: int, processes: int, pg: str, redis: str) -> str:
    async with (
        fresh_schema(pg) as db_url,
        DiscordEmulator(global_rate_limit=GLOBAL_LIMIT, shard_count=SHARDS) as emu,
    ):
        channels = {}
        for i in range(guilds):
            guild = emu.add_guild(f"Guild {i}")
            channels[guild.id] = emu.add_text_channel(guild, "daily")
        await schedule_all_due_now(db_url, {g: c.id for g, c in channels.items()})
        with tempfile.TemporaryDirectory() as folder:
            bots = [
                BotProcess(
                    emu,
                    Path(folder) / "unused.db",
                    cwd=Path(folder),
                    env={
                        "BOT_DATABASE_URL": db_url,
                        "BOT_REDIS_URL": redis,
                        "BOT_SHARD_COUNT": str(SHARDS),
                        "BOT_SHARD_IDS": ids,
                        "BOT_LOG_LEVEL": "WARNING",
                    },
                )
                for ids in split(SHARDS, processes)
            ]
            post_paths = {f"/channels/{c.id}/messages" for c in channels.values()}

            def posted() -> list[float]:
                return [
                    r.time
                    for r in emu.requests
                    if r.method == "POST" and r.path in post_paths and r.status == 200
                ]

            try:
                await asyncio.gather(*(bot.start(within=60) for bot in bots))
                deadline = time.monotonic() + 30 + 3 * guilds / GLOBAL_LIMIT
                while len(posted()) < guilds:
                    if time.monotonic() > deadline:
                        break  # reported below: fewer posted than guilds
                    await asyncio.sleep(0.5)
                await asyncio.sleep(1.0)  # a doubled post would show up here
            finally:
                # All at once, and each killed if it outlives its SIGTERM by 10 s, so a failed
                # run leaves no process behind.
                stopped = await asyncio.gather(
                    *(bot.stop() for bot in bots), return_exceptions=True
                )
            codes = [code if isinstance(code, int) else "no exit within 10 s" for code in stopped]
        times = posted()
        spans = process_spans(emu, channels, split(SHARDS, processes))
        per_guild = Counter(sum(1 for m in emu.messages(c) if m.embeds) for c in channels.values())
    elapsed = max(times) - min(times) if times else float("nan")
    floor = guilds / GLOBAL_LIMIT
    busiest = busiest_second([r.time for r in emu.requests])
    refused = emu.stats["global_rate_limited"]
    return (
        f"{processes} process(es): {len(times)} posted in {elapsed:6.2f} s, floor {floor:.2f} s,"
        f" ratio {elapsed / floor:.3f}; busiest second {busiest} requests; 429s {refused};"
        f" posts per guild {dict(per_guild)}; exit codes {codes};"
        f" each process's posts from/to (s): {spans}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=1000)
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--postgres", default=os.environ.get("BOT_TEST_DATABASE_URL"))
    parser.add_argument("--redis", default=os.environ.get("BOT_TEST_REDIS_URL"))
    parser.add_argument("--quick", action="store_true", help="40 guilds, 1 and 2 processes")
    args = parser.parse_args()
    if args.quick:
        args.guilds, args.processes = 40, "1,2"
    if not (args.postgres and args.redis):
        print(
            "skipped: needs --postgres and --redis (or BOT_TEST_DATABASE_URL, BOT_TEST_REDIS_URL)"
        )
        return
    print(
        f"{args.guilds} guilds over {SHARDS} shards; goal: ratio <= {GOAL_RATIO} with 4 processes"
    )
    for count in (int(p) for p in args.processes.split(",")):
        print(await run(args.guilds, count, args.postgres, args.redis), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
