"""`/leaderboard [period] [round]`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._checks import guild_only
from bot.ui.embeds import leaderboard_embed
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.app import InterviewBot


class LeaderboardCog(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = cast("InterviewBot", bot)

    @app_commands.command(name="leaderboard", description="Who earned the most points")
    @app_commands.describe(period="week (default), month or all", round="Only one round")
    async def leaderboard(
        self,
        interaction: discord.Interaction[Any],
        period: Literal["week", "month", "all"] = "week",
        round: Literal["coding", "system_design", "ml_design", "behavioral"] | None = None,
    ) -> None:
        guild_id = guild_only(interaction)
        rows = await self.bot.services.leaderboard.top(guild_id, period, round)
        await reply(
            interaction,
            embed=leaderboard_embed(rows, period=period, round_name=round),
            ephemeral=False,
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(LeaderboardCog(bot))
