"""Daily fan-out: 1000 guilds scheduled for the same minute, Discord's 50 requests/s enforced.

The real bot (SQLite store, APScheduler jobs, publisher) runs against the emulator with its
global rate limit on. Every guild's cron job is made due at once; the script prints the time
until every guild's question is posted, beside the floor of 1000 / 50 s, and checks that no
post was lost or doubled.

    .venv/bin/python benchmarks/daily_fanout.py [--guilds 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import InterviewBot
from bot.domain.clock import ManualClock
from bot.domain.schedule import parse_post_time
from bot.scheduler import job_id
from bot.settings import Settings
from bot.store import Store
from emulator import DiscordEmulator
from emulator.harness import connected

GLOBAL_LIMIT = 50
POST_AT = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # 09:00 in Europe/Berlin


async def prepare(db_path: Path, channels: dict[int, int]) -> None:
    store = Store(db_path)
    await store.open()
    configured_at = POST_AT - timedelta(days=1)
    for guild_id, channel_id in channels.items():
        await store.guilds.save_schedule(
            guild_id,
            channel_id=channel_id,
            post_time=parse_post_time("09:00"),
            timezone="Europe/Berlin",
            ping_role_id=None,
            config_channel_id=None,
            now=configured_at,
        )
    await store.close()


async def run(guild_count: int) -> None:
    async with DiscordEmulator(global_rate_limit=GLOBAL_LIMIT) as emu:
        channels = {}
        for i in range(guild_count):
            guild = emu.add_guild(f"Guild {i}")
            channels[guild.id] = emu.add_text_channel(guild, "daily")
        with tempfile.TemporaryDirectory() as folder:
            db_path = Path(folder) / "fanout.db"
            await prepare(db_path, {g: c.id for g, c in channels.items()})
            clock = ManualClock(POST_AT - timedelta(minutes=1))
            settings = Settings(
                _env_file=None,
                discord_token="emulator-token",
                discord_api_base_url=emu.api_base_url,
                discord_gateway_url=emu.gateway_url,
                bot_database_path=db_path,
                anthropic_api_key=None,
            )
            bot = InterviewBot(settings, clock=clock, guild_ready_timeout=0.5)
            async with connected(bot, emu, timeout=120):
                scheduler = bot.services.scheduler.scheduler
                before = dict(emu.stats)
                clock.set(POST_AT)
                # The emulator stamps each request with time.monotonic() when it arrives.
                started = time.monotonic()
                now = datetime.now(UTC)
                for guild_id in channels:
                    scheduler.modify_job(job_id(guild_id), next_run_time=now)

                def posted() -> int:
                    return sum(1 for ch in channels.values() if emu.messages(ch))

                # Polled slowly: the check itself runs on the bot's event loop.
                while posted() < guild_count:
                    await asyncio.sleep(0.5)
                    if time.monotonic() - started > 600:
                        raise TimeoutError(f"only {posted()} of {guild_count} posted")
                post_paths = {f"/channels/{ch.id}/messages" for ch in channels.values()}
                elapsed = (
                    max(
                        r.time
                        for r in emu.requests
                        if r.method == "POST" and r.path in post_paths and r.status == 200
                    )
                    - started
                )
                threads = 0
                while threads < guild_count and time.monotonic() - started < 600:
                    await asyncio.sleep(0.5)
                    threads = sum(1 for ch in channels.values() if emu.threads(ch))
                threads_done = time.monotonic() - started
                await asyncio.sleep(2)  # let stragglers (a doubled post) show up
                per_channel = Counter(
                    sum(1 for m in emu.messages(ch) if m.embeds) for ch in channels.values()
                )
                stored = await bot.services.store.db.fetchone(
                    "SELECT COUNT(*) FROM daily_posts WHERE status = 'posted'"
                )
                after = dict(emu.stats)
    floor = guild_count / GLOBAL_LIMIT
    rate_limited = {
        k: after.get(k, 0) - before.get(k, 0) for k in after if "429" in k or "rate" in k
    }
    print(f"guilds: {guild_count}, global limit: {GLOBAL_LIMIT} requests/s")
    print(
        f"all posted after {elapsed:.2f} s; floor {floor:.2f} s; ratio {elapsed / floor:.3f} "
        "(goal <= 1.15)"
    )
    print(f"discussion threads: {threads} created, all after {threads_done:.2f} s")
    print(f"posts per channel: {dict(per_channel)} (each channel exactly 1: none lost or doubled)")
    print(f"posts recorded as sent: {stored[0] if stored else 0}")
    print(f"rate-limit counters during the burst: {rate_limited or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guilds", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="20 guilds, the same code path")
    args = parser.parse_args()
    if args.quick:
        args.guilds = 20
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(args.guilds))


if __name__ == "__main__":
    main()
