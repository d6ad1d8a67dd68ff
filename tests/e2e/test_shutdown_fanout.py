"""SIGTERM to real bot processes in the middle of a daily fan-out (every guild due at once,
under Discord's 50 requests per second): the posts and threads still under way are cancelled
and unwound before the HTTP session closes, so each process exits 0 within the shutdown budget
and logs no error; the next start gives every guild cut off its post and thread, once.

On PostgreSQL with the Redis limit, two processes share the bucket: requests wait for it inside
aiohttp's request (the trace hook), where closing the session under them used to fail them."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import DiscordEmulator
from emulator.fleet import schedule_all_due_now
from tests.databases import fresh_schema, postgres_url, redis_url
from tests.e2e.bot_process import BotProcess
from tests.e2e.waits import until

# About 4 s of posts and 4 s of threads at 46-48 requests a second: more than the shutdown lets
# run once SIGTERM arrives just after the first posts.
GUILDS = 200
UNDER_WAY = 10  # posts sent when SIGTERM arrives
GLOBAL_LIMIT = 50
SHARDS = 4


@contextlib.asynccontextmanager
async def fleet(engine: str, tmp_path: Path) -> AsyncIterator[tuple[str, list[dict[str, str]]]]:
    """(where schedule_all_due_now writes, each process's extra environment)."""
    if engine == "sqlite":
        yield str(tmp_path / "bot.db"), [{}]
        return
    pg, redis = postgres_url(), redis_url()
    if pg is None or redis is None:
        pytest.skip("BOT_TEST_DATABASE_URL and BOT_TEST_REDIS_URL are not both set")
    async with fresh_schema(pg) as url:
        shared = {"BOT_DATABASE_URL": url, "BOT_REDIS_URL": redis, "BOT_SHARD_COUNT": str(SHARDS)}
        yield url, [shared | {"BOT_SHARD_IDS": ids} for ids in ("0,1", "2,3")]


async def stop_all(processes: list[BotProcess]) -> list[tuple[int, float]]:
    """SIGTERM to every process at once: (exit code, seconds to exit) each."""

    async def stop(process: BotProcess) -> tuple[int, float]:
        started = time.monotonic()
        code = await process.stop(within=10.0)
        return code, time.monotonic() - started

    return list(await asyncio.gather(*(stop(p) for p in processes)))


@pytest.mark.parametrize("engine", ["sqlite", "postgres+redis"])
async def test_sigterm_mid_fan_out_exits_clean_and_the_rest_catch_up_once(
    tmp_path: Path, engine: str
) -> None:
    async with (
        fleet(engine, tmp_path) as (location, envs),
        DiscordEmulator(global_rate_limit=GLOBAL_LIMIT, shard_count=SHARDS) as emu,
    ):
        channels = []
        for i in range(GUILDS):
            channels.append(emu.add_text_channel(emu.add_guild(f"Guild {i}"), "daily"))
        await schedule_all_due_now(location, {c.guild.id: c.id for c in channels if c.guild})

        def posts() -> list[int]:
            return [sum(1 for m in emu.messages(c) if m.embeds) for c in channels]

        def threads() -> list[int]:
            return [len(emu.threads(c)) for c in channels]

        def caught_up(first_run: list[list[str]]) -> int:
            return sum(
                "catch-up for guild" in line
                for process, before in zip(processes, first_run, strict=True)
                for line in process.lines[len(before) :]
            )

        processes = [BotProcess(emu, tmp_path / "bot.db", cwd=tmp_path, env=env) for env in envs]
        await asyncio.gather(*(p.start(within=60) for p in processes))
        try:
            await until(lambda: sum(posts()) >= UNDER_WAY, "the fan-out under way", 30)
            stops = await stop_all(processes)
            first_run = [list(p.lines) for p in processes]
            cut_off = GUILDS - sum(threads())

            await asyncio.gather(*(p.start(within=60) for p in processes))
            await until(lambda: caught_up(first_run) == GUILDS, "every guild's catch-up after", 60)
            assert all(code == 0 for code, _ in await stop_all(processes))
        except BaseException:
            for process in processes:
                print(process.tail(40))
            raise
        print(
            f"SIGTERM to exit mid fan-out (s): {[round(s, 2) for _, s in stops]}; {cut_off} cut off"
        )
        assert [code for code, _ in stops] == [0] * len(processes)
        assert all(seconds < 10.0 for _, seconds in stops)
        errors = [
            "\n".join(process.lines[i : i + 25])
            for process in processes
            for i, line in enumerate(process.lines)
            if " ERROR " in line
        ]
        assert errors == [], "\n\n".join(errors)
        assert cut_off > 0, "the shutdown came after the fan-out: nothing was cut off"
        assert posts() == [1] * GUILDS
        assert threads() == [1] * GUILDS
        assert emu.internal_errors == []
