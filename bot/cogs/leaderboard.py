"""`/leaderboard [period] [round] [season]`."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._checks import guild_only
from bot.content.schema import Round
from bot.ui.language import interaction_server_language
from bot.ui.leaderboard_embeds import leaderboard_embed
from bot.ui.leaderboard_views import leaderboard_view
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot

SEASON_CHOICES = 12


class LeaderboardCog(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(name="leaderboard", description="Who earned the most points")
    @app_commands.describe(
        period="week (default), month or all",
        round="Only one round",
        season="A past month, YYYY-MM (shows that month)",
    )
    async def leaderboard(
        self,
        interaction: discord.Interaction[Any],
        period: Literal["week", "month", "all"] = "week",
        round: Round | None = None,
        season: app_commands.Range[str, 1, 20] | None = None,
    ) -> None:
        guild_id = guild_only(interaction)
        board = await self.bot.services.leaderboard.board(
            guild_id, interaction.user.id, period, round, season
        )
        web_url = await self.bot.services.web.public_board_url(guild_id)
        # Posted in the channel for everyone: in the server's language.
        language = await interaction_server_language(interaction)
        await reply(
            interaction,
            embed=leaderboard_embed(board, language),
            view=leaderboard_view(board, web_url, locale=language),
            ephemeral=False,
        )

    @leaderboard.autocomplete("season")
    async def _season_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        month = (await self.bot.services.points.today(interaction.guild_id)).replace(day=1)
        seasons = []
        for _ in range(SEASON_CHOICES):
            seasons.append(f"{month:%Y-%m}")
            month = (month - timedelta(days=1)).replace(day=1)
        return [app_commands.Choice(name=s, value=s) for s in seasons if current.strip() in s]


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(LeaderboardCog(bot))
