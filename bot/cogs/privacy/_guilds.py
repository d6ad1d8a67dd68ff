"""The bot joining and leaving guilds: a guild it left keeps its data for the configured
retention, then the sweep purges it; being added back first cancels that."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

if TYPE_CHECKING:
    from bot.host import StudyBot

log = logging.getLogger(__name__)

# Shutdown waits this long for a listener's writes before the database closes.
UNLOAD_GRACE_SECONDS = 5.0


class GuildLifecycle(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self._running: set[asyncio.Task[None]] = set()

    def _track(self, work: Coroutine[Any, Any, None], what: str) -> None:
        """Run a listener's database work so that unloading (on shutdown, before the database
        closes) waits for it."""
        task = asyncio.get_running_loop().create_task(self._logged(work, what))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    @staticmethod
    async def _logged(work: Coroutine[Any, Any, None], what: str) -> None:
        try:
            await work
        except Exception:
            log.exception("%s failed", what)

    async def cog_unload(self) -> None:
        if self._running:
            await asyncio.wait(set(self._running), timeout=UNLOAD_GRACE_SECONDS)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        self._track(self._left(guild.id), f"leaving guild {guild.id}")

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        self._track(self._joined(guild.id), f"joining guild {guild.id}")

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self._track(self._reconcile(), "checking which guilds the bot left")

    async def _left(self, guild_id: int) -> None:
        self.bot.services.scheduler.unschedule(guild_id)
        await self.bot.services.privacy.guild_left(guild_id)

    async def _joined(self, guild_id: int) -> None:
        rejoined = await self.bot.services.privacy.guild_joined(guild_id)
        if rejoined.config is not None:
            self.bot.services.scheduler.schedule(rejoined.config)

    async def _reconcile(self) -> None:
        """Leaving or rejoining while the bot was offline sends no event: compare the guilds
        Discord says the bot is in with those it has data for."""
        report = await self.bot.services.privacy.reconcile(
            {guild.id for guild in self.bot.guilds}, self.bot.shard_plan.owns
        )
        for guild_id in report.away:
            self.bot.services.scheduler.unschedule(guild_id)
