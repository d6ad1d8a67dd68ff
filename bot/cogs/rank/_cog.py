"""`/rank [member] [chart]`: the rank card and a text summary, and the progress chart; it also
hangs the admins' `/daily rewards ...` commands under `/daily` (the fixed top-level names)."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._checks import guild_only
from bot.cogs.rank._admin import RewardsGroup
from bot.domain.errors import UserError
from bot.ui.cooldowns import throttle
from bot.ui.leaderboard_embeds import rank_embed
from bot.ui.leaderboard_views import web_link
from bot.ui.progress_chart import render_progress_chart
from bot.ui.rank_card import render_rank_card
from bot.ui.rank_views import add_sharing_button
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot

CARD_FILE = "rank.png"
CHART_FILE = "progress.png"


class RankCog(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.rewards = RewardsGroup(self.bot)

    async def cog_load(self) -> None:
        daily = self.bot.tree.get_command("daily")
        if not isinstance(daily, app_commands.Group):
            raise RuntimeError("the daily cog must be loaded before the rank cog")
        daily.add_command(self.rewards)

    async def cog_unload(self) -> None:
        daily = self.bot.tree.get_command("daily")
        if isinstance(daily, app_commands.Group):
            daily.remove_command(self.rewards.name)

    @app_commands.command(name="rank", description="A rank card with points, streak and grades")
    @app_commands.describe(
        member="Whose card (yourself by default)",
        chart="Add a chart of grades over time per round",
    )
    async def rank(
        self,
        interaction: discord.Interaction[Any],
        member: discord.User | None = None,
        chart: bool = False,
    ) -> None:
        # The option is a user, not a member: in a DM it must reach the "server only" answer.
        guild_id = guild_only(interaction)
        subject = member or interaction.user
        if subject.bot:
            raise UserError(
                "{name} is a bot and has no rank card: pick a member.",
                code="bot-member",
                name=subject.display_name,
            )
        own = subject.id == interaction.user.id
        if chart:
            await throttle(interaction, "chart")
        # Drawing takes a moment; the card is private (it may show weak spots).
        await interaction.response.defer(ephemeral=True, thinking=True)
        profile = await self.bot.services.leaderboard.profile(
            guild_id, interaction.user.id, subject.id, subject.display_name, chart=chart
        )
        card = await asyncio.to_thread(render_rank_card, profile, interaction.locale)
        files = [discord.File(io.BytesIO(card), filename=CARD_FILE)]
        if chart:
            drawn = await asyncio.to_thread(render_progress_chart, profile.answers)
            files.append(discord.File(io.BytesIO(drawn), filename=CHART_FILE))
        web_url = await self.bot.services.web.public_board_url(guild_id)
        view = web_link(discord.ui.View(), web_url, interaction.locale)
        if own:
            add_sharing_button(view, subject.id, shared=profile.shared, locale=interaction.locale)
        await reply(
            interaction,
            embeds=rank_embed(
                profile,
                own=own,
                card=CARD_FILE,
                chart=CHART_FILE if chart else None,
                locale=interaction.locale,
            ),
            files=files,
            view=view,
        )
