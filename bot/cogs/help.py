"""`/help`: what the bot does and how to start."""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.tips import load_tips
from bot.ui.embeds import tips_embed
from bot.ui.replies import reply

HELP_SECTIONS = (
    (
        "Daily question",
        "Every day at the time your server chose, a question appears with an **Answer** button. "
        "Answer privately, get graded feedback against the rubric, and resubmit until the "
        "reveal. `/daily question` shows today's; `/daily status` shows the schedule.",
    ),
    (
        "For admins (Manage Server)",
        "`/daily setup channel time timezone [ping_role]` schedules the post (it never posts "
        "by itself at setup: the first post comes at the next occurrence, or use `/daily now`). "
        "`/daily pause`, `/daily resume`, `/daily rotation`. `/questions add|import|list|disable` "
        "manage this server's own questions.",
    ),
    (
        "Points",
        "`/leaderboard [period] [round]` ranks members by points. A better-graded answer earns "
        "more than another answer: quality matters more than volume. Hints cost points.",
    ),
    ("Study tips", "`/help topic:tips` has advice for each stage of Pinterest's loop."),
)


class HelpCog(commands.Cog):
    @app_commands.command(name="help", description="What this bot does and how to use it")
    @app_commands.describe(topic="overview (default) or tips: how to prepare for Pinterest's loop")
    async def help(
        self,
        interaction: discord.Interaction[Any],
        topic: Literal["overview", "tips"] = "overview",
    ) -> None:
        if topic == "tips":
            await reply(interaction, embed=tips_embed(load_tips()))
            return
        embed = discord.Embed(
            title="Interview prep bot",
            description="Practise for technical interviews together: daily questions graded "
            "against a rubric, points and leaderboards. The first pack prepares for "
            "Pinterest's loop: coding, system design, ML design and behavioral rounds.",
            colour=discord.Colour.from_rgb(230, 0, 35),
        )
        for name, value in HELP_SECTIONS:
            embed.add_field(name=name, value=value, inline=False)
        await reply(interaction, embed=embed)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(HelpCog())
