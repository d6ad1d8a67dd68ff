"""`/help`: what the bot does and how to start."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.tips import load_tips
from bot.host import StudyBot, bot_of
from bot.i18n.messages import N_, catalog_locales, number, tr
from bot.ui.embeds import FIELD_LIMIT, tips_embed
from bot.ui.language import native_name
from bot.ui.replies import reply

HELP_SECTIONS = (
    (
        N_("Daily question"),
        N_(
            "Every day at the time your server chose, a question appears with **Answer** and "
            "**Hint** buttons. Answer privately, get feedback graded against the question's "
            "rubric, and resubmit until the reveal the next day. `/daily question` shows today's; "
            "`/daily status` shows the schedule."
        ),
    ),
    (
        N_("Mock interviews"),
        N_(
            "`/mock start round [difficulty]` opens a private thread with an AI interviewer that "
            "follows up on your answers; `/mock end` gives a scorecard with a hiring signal. "
            "`/mock loop` runs the whole onsite loop, one round at a time."
        ),
    ),
    (
        N_("Practise with a person"),
        N_(
            "`/peer join round [level] [when]` pairs you with another member in a private "
            "thread: one interviews (with a private interviewer guide), then you swap and give "
            "each other feedback. `/peer status`, `/peer leave`."
        ),
    ),
    (
        N_("Progress"),
        N_(
            "`/leaderboard [period] [round]` ranks members by points; `/rank [member]` shows a "
            "rank card and your weakest rubric criteria; `/practice [round]` gives you a question "
            "aimed at them. Better answers earn more than more answers; hints cost points."
        ),
    ),
    (
        N_("For admins (Manage Server)"),
        N_(
            "`/daily setup channel time timezone [ping_role]` schedules the post (setup never "
            "posts by itself: the first post comes at the next occurrence of the time, or use "
            "`/daily now`); `/daily pause|resume|rotation|language`. "
            "`/questions add|import|list|disable` manage this server's questions; "
            "`/grading usage|limits` shows AI spend and sets limits."
        ),
    ),
    (
        N_("Your data"),
        N_("`/privacy export|delete|hide|show` for what the bot keeps about you here."),
    ),
    (N_("Study tips"), N_("`/help topic:tips` has advice for each stage of Pinterest's loop.")),
)


def _listed(names: Sequence[str], shown: int) -> str:
    spoken = ", ".join(names[:shown])
    return spoken + (f" +{len(names) - shown}" if shown < len(names) else "")


def _question_names(locale: object, translated: Mapping[str, int], counted: bool) -> list[str]:
    return [
        f"{native_name(code)} ({number(locale, count)})" if counted else native_name(code)
        for code, count in translated.items()
        if count
    ]


def _languages_sentences(locale: object, spoken: str, questions: str) -> str:
    text = tr(
        locale,
        "The questions are in English. Command names and descriptions follow your Discord "
        "language; replies, forms, feedback and refusals do where the bot has a catalog for "
        "it ({languages}), and English otherwise. The AI grader writes its feedback in your "
        "language. What the bot posts in a channel follows the server's language "
        "(`/daily language`).",
        languages=spoken,
    )
    if not questions:
        return text
    also = tr(
        locale,
        "Some questions also have their title and prompt in {languages}.",
        languages=questions,
    )
    return f"{text} {also}"


def languages_text(locale: object, translated: Mapping[str, int] | None = None) -> str:
    """Which languages the questions and the bot's own texts are in, within an embed field's
    1024 characters however many catalogs and translations there are. `translated` is how many
    questions have a translated title or prompt, by locale (`QuestionBank.translated`). Too long,
    the question languages lose their counts, then the last names of each list give way to a
    count, the question languages' first."""
    names = ["English", *(native_name(code) for code in catalog_locales())]
    counted = _question_names(locale, translated or {}, counted=True)
    text = _languages_sentences(locale, _listed(names, len(names)), _listed(counted, len(counted)))
    if len(text) <= FIELD_LIMIT:
        return text
    plain = _question_names(locale, translated or {}, counted=False)
    shown, questions_shown = len(names), len(plain)
    while True:
        text = _languages_sentences(locale, _listed(names, shown), _listed(plain, questions_shown))
        if len(text) <= FIELD_LIMIT or (shown == 1 and questions_shown <= 1):
            return text
        if questions_shown > 1:
            questions_shown -= 1
        else:
            shown -= 1


class HelpCog(commands.Cog):
    @app_commands.command(name="help", description="What this bot does and how to use it")
    @app_commands.describe(topic="overview (default) or tips: how to prepare for Pinterest's loop")
    async def help(
        self,
        interaction: discord.Interaction[Any],
        topic: Literal["overview", "tips"] = "overview",
    ) -> None:
        if topic == "tips":
            await reply(interaction, embed=tips_embed(load_tips(), interaction.locale))
            return
        locale = interaction.locale
        embed = discord.Embed(
            title=tr(locale, "Interview prep bot"),
            description=tr(
                locale,
                "Practise for technical interviews together: daily questions graded against a "
                "rubric, points and leaderboards. The first pack prepares for Pinterest's loop: "
                "coding, system design, ML design and behavioral rounds.",
            ),
            colour=discord.Colour.from_rgb(230, 0, 35),
        )
        for name, value in HELP_SECTIONS[:-1]:
            embed.add_field(name=tr(locale, name), value=tr(locale, value), inline=False)
        embed.add_field(
            name=tr(locale, "Languages"),
            value=languages_text(locale, bot_of(interaction).services.catalog.bank.translated()),
            inline=False,
        )
        name, value = HELP_SECTIONS[-1]
        embed.add_field(name=tr(locale, name), value=tr(locale, value), inline=False)
        await reply(interaction, embed=embed)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(HelpCog())
