"""`/practice [round]`: privately, a question aimed at the member's weakest rubric themes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._checks import guild_only
from bot.content.schema import Round
from bot.ui.cooldowns import throttle
from bot.ui.leaderboard_embeds import practice_embed
from bot.ui.practice_views import practice_view
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot


class PracticeCog(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="practice", description="A private question aimed at your weakest rubric criteria"
    )
    @app_commands.describe(round="Only this round (any round by default)")
    async def practice(
        self,
        interaction: discord.Interaction[Any],
        round: Round | None = None,
    ) -> None:
        guild_id = guild_only(interaction)
        await throttle(interaction, "practice")
        offer = await self.bot.services.practice.offer(guild_id, interaction.user.id, round)
        locale = interaction.locale
        await reply(
            interaction,
            embed=practice_embed(offer, locale),
            view=practice_view(offer.question.id, locale),
        )
