"""Shards on several hosts: two `python -m bot run` processes, each in a network namespace of its
own (emulator.hosts), share one PostgreSQL and one Redis. Every guild of four shards is due at
once; one process is SIGKILLed in the middle of the fan-out and started again. Every guild gets
exactly one post, and Discord's global limit (50 requests in any second) is never exceeded."""

from __future__ import annotations

import asyncio
import os
import time
import warnings
from collections import Counter
from pathlib import Path

import pytest

from bot.sharding import shard_of
from emulator import DiscordEmulator
from emulator.fleet import busiest_second, port_of, schedule_all_due_now
from emulator.hosts import Hosts
from tests.databases import fresh_schema, postgres_url, redis_url
from tests.e2e.bot_process import BotProcess

# 120 keeps the suite fast; BOT_TEST_MULTI_HOST_GUILDS=1000 runs the full size (~60 s).
GUILDS = int(os.environ.get("BOT_TEST_MULTI_HOST_GUILDS", "120"))
SHARDS = 4
PROCESS_SHARDS = ("0,1", "2,3")
GLOBAL_LIMIT = 50

pytestmark = pytest.mark.skipif(
    postgres_url() is None or redis_url() is None,
    reason="several hosts share PostgreSQL and Redis: BOT_TEST_DATABASE_URL and "
    "BOT_TEST_REDIS_URL are not both set",
)


async def wait_until(condition: object, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.05)


async def test_two_hosts_post_once_per_guild_within_the_limit_through_a_kill(
    tmp_path: Path,
) -> None:
    pg, redis = postgres_url(), redis_url()
    assert pg is not None and redis is not None
    async with (
        fresh_schema(pg) as db_url,
        DiscordEmulator(global_rate_limit=GLOBAL_LIMIT, shard_count=SHARDS) as emu,
    ):
        channels = {}
        for i in range(GUILDS):
            guild = emu.add_guild(f"Guild {i}")
            channels[guild.id] = emu.add_text_channel(guild, "daily")
        await schedule_all_due_now(db_url, {g: c.id for g, c in channels.items()})
        first_host = [g for g in channels if shard_of(g, SHARDS) in (0, 1)]

        def posted(guilds: list[int]) -> int:
            return sum(1 for g in guilds if any(m.embeds for m in emu.messages(channels[g])))

        async with Hosts(2, [emu.port, port_of(pg), port_of(redis)]) as hosts:
            if not hosts.isolated:
                warnings.warn(
                    f"network namespaces refused ({hosts.refusal.strip()}): the two processes "
                    "ran on this host's loopback instead",
                    stacklevel=1,
                )
            processes = [
                BotProcess(
                    emu,
                    tmp_path / "unused.db",
                    cwd=tmp_path,
                    env={
                        "BOT_DATABASE_URL": db_url,
                        "BOT_REDIS_URL": redis,
                        "BOT_SHARD_COUNT": str(SHARDS),
                        "BOT_SHARD_IDS": shards,
                    },
                    prefix=hosts.prefix(index),
                )
                for index, shards in enumerate(PROCESS_SHARDS)
            ]
            await asyncio.gather(*(process.start() for process in processes))
            await wait_until(
                lambda: posted(first_host) >= len(first_host) // 4, 30, "no fan-out began"
            )
            await processes[0].kill()
            killed_at = posted(first_host)
            await processes[0].start()
            await wait_until(
                lambda: posted(list(channels)) == GUILDS, 60 + GUILDS / 10, "not every guild posted"
            )
            await asyncio.sleep(1.0)  # a doubled post would show up here
            codes = [await process.stop() for process in processes]
        per_channel = Counter(
            sum(1 for m in emu.messages(channel) if m.embeds) for channel in channels.values()
        )
        most = busiest_second([r.time for r in emu.requests])
        print(
            f"{GUILDS} guilds over {SHARDS} shards on 2 hosts; killed with {killed_at} of "
            f"{len(first_host)} posted; posts per guild {dict(per_channel)}; most requests in "
            f"one second: {most}; 429s: {emu.stats['global_rate_limited']} global, "
            f"{emu.stats['route_rate_limited']} per route"
        )
        assert per_channel == Counter({1: GUILDS})
        assert 0 < killed_at < len(first_host), "the kill did not land mid-fan-out"
        assert most <= GLOBAL_LIMIT
        assert emu.stats["global_rate_limited"] == 0
        assert codes == [0, 0]
        assert emu.internal_errors == []
