"""Interaction overhead: INTERACTION_CREATE dispatched by the emulator -> callback received.

Runs a bare discord.py client answering ``/ping`` with ``pong`` through the Discord emulator
(real gateway websocket and HTTP on 127.0.0.1) and prints the median and p99 in milliseconds.

``measure(client_factory, command_name, n)`` is reusable for any bot: the factory gets the
emulator (with a guild "Bench", a text channel "bench" and a member "bench-user" with Manage
Server already created) and returns an unconnected ``discord.Client``; ``measure`` connects it,
syncs its tree if the command is not synced yet, warms up, then times ``n`` invocations.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import logging
import statistics
import sys
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator import DiscordEmulator
from emulator.harness import connected

ClientFactory = Callable[[DiscordEmulator], discord.Client | Awaitable[discord.Client]]

WARMUP = 50
N = 500


async def measure(
    client_factory: ClientFactory,
    command_name: str,
    n: int,
    *,
    warmup: int = WARMUP,
    options: Mapping[str, Any] | None = None,
) -> list[float]:
    """Latencies in milliseconds (dispatch of INTERACTION_CREATE -> callback request) for ``n``
    sequential invocations of ``/command_name`` after ``warmup`` untimed ones."""
    async with DiscordEmulator() as emu:
        guild = emu.add_guild("Bench")
        channel = emu.add_text_channel(guild, "bench")
        member = emu.add_member(guild, "bench-user", manage_guild=True)
        made = client_factory(emu)
        client = await made if inspect.isawaitable(made) else made
        async with connected(client, emu):
            top = command_name.split()[0]
            tree = getattr(client, "tree", None)
            if tree is not None and not any(c["name"] == top for c in emu.commands()):
                await tree.sync()
            latencies: list[float] = []
            for i in range(warmup + n):
                record = await emu.slash(member, channel, command_name, options=options)
                if record.latency is None or not record.acknowledged:
                    raise RuntimeError(f"/{command_name} was not answered: {record.rejected}")
                if i >= warmup:
                    latencies.append(record.latency * 1000.0)
        return latencies


def bare_ping_bot(emu: DiscordEmulator) -> discord.Client:
    bot = commands.Bot(
        command_prefix="!",
        intents=discord.Intents.default(),
        guild_ready_timeout=0.05,
        help_command=None,
    )

    @bot.tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @bot.tree.command(name="help", description="Help")
    async def help_(interaction: discord.Interaction) -> None:
        # The same reply shape as the project's /help: an ephemeral embed with a few fields.
        embed = discord.Embed(title="Interview prep bot", description="x" * 200)
        for name in ("Daily question", "For admins", "Points"):
            embed.add_field(name=name, value="y" * 250, inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    return bot


async def project_bot(emu: DiscordEmulator, folder: Path) -> discord.Client:
    """The real bot: settings, SQLite store, services, cogs and error handler."""
    from bot.app import InterviewBot
    from bot.settings import Settings

    settings = Settings(
        _env_file=None,
        discord_token="emulator-token",
        discord_api_base_url=emu.api_base_url,
        discord_gateway_url=emu.gateway_url,
        bot_database_path=folder / "bench.db",
        anthropic_api_key=None,
    )
    return InterviewBot(settings, guild_ready_timeout=0.05)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100.0 * (len(ordered) - 1))))
    return ordered[index]


def report(label: str, latencies: list[float]) -> None:
    print(
        f"{label}: n={len(latencies)} median={statistics.median(latencies):.3f} ms"
        f" p99={percentile(latencies, 99):.3f} ms"
        f" mean={statistics.fmean(latencies):.3f} ms"
        f" min={min(latencies):.3f} ms max={max(latencies):.3f} ms"
    )


async def main(runs: int) -> None:
    logging.getLogger("discord").setLevel(logging.ERROR)
    logging.getLogger("bot").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    baseline_ping = await measure(bare_ping_bot, "ping", runs)
    report("bare discord.py /ping", baseline_ping)
    # Interleave runs so that machine noise hits both bots alike.
    baseline: list[float] = []
    project: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(3):
            baseline += await measure(bare_ping_bot, "help", runs // 2)
            project += await measure(
                lambda emu, run=run: project_bot(emu, Path(folder) / str(run)), "help", runs // 2
            )
    report("bare discord.py /help", baseline)
    report("project bot /help  ", project)
    ratio = statistics.median(project) / statistics.median(baseline)
    print(
        f"median ratio project/bare = {ratio:.2f} (goal <= 1.5); "
        f"project p99 = {percentile(project, 99):.2f} ms (goal < 20 ms)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=N)
    parser.add_argument("--quick", action="store_true", help="20 runs, the same code path")
    args = parser.parse_args()
    asyncio.run(main(20 if args.quick else args.runs))
