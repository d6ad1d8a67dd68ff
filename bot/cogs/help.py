"""`/help`: what the bot does and how to start."""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.tips import load_tips
from bot.host import StudyBot
from bot.ui.embeds import tips_embed
from bot.ui.replies import reply

HELP_SECTIONS = (
    (
        "Daily question",
        "Every day at the time your server chose, a question appears with **Answer** and "
        "**Hint** buttons. Answer privately, get feedback graded against the question's rubric, "
        "and resubmit until the reveal the next day. `/daily question` shows today's; "
        "`/daily status` shows the schedule.",
    ),
    (
        "Mock interviews",
        "`/mock start round [difficulty]` opens a private thread with an AI interviewer that "
        "follows up on your answers; `/mock end` gives a scorecard with a hiring signal. "
        "`/mock loop` runs the whole onsite loop, one round at a time.",
    ),
    (
        "Practise with a person",
        "`/peer join round [level] [when]` pairs you with another member in a private thread: "
        "one interviews (with a private interviewer guide), then you swap and give each other "
        "feedback. `/peer status`, `/peer leave`.",
    ),
    (
        "Progress",
        "`/leaderboard [period] [round]` ranks members by points; `/rank [member]` shows a rank "
        "card and your weakest rubric criteria; `/practice [round]` gives you a question aimed at "
        "them. Better answers earn more than more answers; hints cost points.",
    ),
    (
        "For admins (Manage Server)",
        "`/daily setup channel time timezone [ping_role]` schedules the post (setup never posts "
        "by itself: the first post comes at the next occurrence of the time, or use "
        "`/daily now`); `/daily pause|resume|rotation`. `/questions add|import|list|disable` "
        "manage this server's questions; `/grading usage|limits` shows AI spend and sets limits.",
    ),
    ("Your data", "`/privacy export|delete|hide|show` for what the bot keeps about you here."),
    (
        "Languages",
        "The questions are in English. Command names and descriptions follow your Discord "
        "language, and the AI grader writes its feedback in it; the bot's other replies are "
        "in English for now.",
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


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(HelpCog())
