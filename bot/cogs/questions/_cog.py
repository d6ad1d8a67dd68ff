"""`/questions add|import|list|disable|enable`: a guild's own question bank."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._checks import guild_only, require_manage_guild
from bot.cogs.questions._modal import AddQuestionModal
from bot.content.schema import Round
from bot.domain.errors import UserError
from bot.domain.message import Verbatim
from bot.i18n.messages import ntr, number, tr
from bot.services.questions import MAX_IMPORT_BYTES
from bot.ui.embeds import clip
from bot.ui.question_list import question_list_embed, question_list_view
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot

RoundChoice = Round


class QuestionsCog(commands.Cog):
    questions = app_commands.Group(name="questions", description="This server's question bank")

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @questions.command(name="add", description="Add a question with a form (Manage Server)")
    @app_commands.describe(time_box="Minutes a candidate should spend (5-90)")
    async def add(
        self,
        interaction: discord.Interaction[Any],
        round: RoundChoice,
        difficulty: Literal["easy", "medium", "hard"],
        time_box: app_commands.Range[int, 5, 90] = 30,
    ) -> None:
        require_manage_guild(interaction)
        await interaction.response.send_modal(
            AddQuestionModal(
                round_name=round,
                difficulty=difficulty,
                time_box=time_box,
                locale=interaction.locale,
            )
        )

    @questions.command(
        name="import", description="Import questions from a YAML file (Manage Server)"
    )
    @app_commands.describe(file="A .yaml file in the pack format (see the README)")
    async def import_(
        self, interaction: discord.Interaction[Any], file: discord.Attachment
    ) -> None:
        guild_id = require_manage_guild(interaction)
        if not file.filename.lower().endswith((".yaml", ".yml")):
            raise UserError("Attach a `.yaml` file in the pack format.", code="not-yaml")
        if file.size > MAX_IMPORT_BYTES:
            raise UserError(
                "{file} is {size} kB; the limit is {limit} kB.",
                code="too-big",
                file=Verbatim(file.filename),
                size=number(interaction.locale, file.size // 1000),
                limit=number(interaction.locale, MAX_IMPORT_BYTES // 1000),
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            text = (await file.read()).decode("utf-8")
        except UnicodeDecodeError:
            raise UserError(
                "{file} is not UTF-8 text.", code="not-text", file=Verbatim(file.filename)
            ) from None
        imported = await self.bot.services.questions.import_yaml(
            guild_id=guild_id, user_id=interaction.user.id, text=text, filename=file.filename
        )
        await reply(
            interaction,
            ntr(
                interaction.locale,
                "✅ Imported {n} question: {ids}",
                "✅ Imported {n} questions: {ids}",
                len(imported),
                ids=clip(", ".join(f"`{q.id}`" for q in imported), 1800),
            ),
        )

    @questions.command(name="list", description="The questions this server draws from")
    async def list_(
        self, interaction: discord.Interaction[Any], round: RoundChoice | None = None
    ) -> None:
        guild_id = guild_only(interaction)
        page = await self.bot.services.questions.listing_page(guild_id, round, 0)
        await reply(
            interaction,
            embed=question_list_embed(page),
            view=question_list_view(page, interaction.locale),
        )

    @questions.command(name="disable", description="Stop posting a question here (Manage Server)")
    async def disable(
        self, interaction: discord.Interaction[Any], question_id: app_commands.Range[str, 1, 80]
    ) -> None:
        guild_id = require_manage_guild(interaction)
        question = await self.bot.services.questions.set_disabled(
            guild_id=guild_id, user_id=interaction.user.id, question_id=question_id, disabled=True
        )
        await reply(
            interaction,
            tr(
                interaction.locale,
                "🚫 `{question}` will no longer be posted here.",
                question=question.id,
            ),
        )

    @questions.command(name="enable", description="Post a disabled question again (Manage Server)")
    async def enable(
        self, interaction: discord.Interaction[Any], question_id: app_commands.Range[str, 1, 80]
    ) -> None:
        guild_id = require_manage_guild(interaction)
        question = await self.bot.services.questions.set_disabled(
            guild_id=guild_id, user_id=interaction.user.id, question_id=question_id, disabled=False
        )
        await reply(
            interaction,
            tr(
                interaction.locale, "✅ `{question}` is back in the rotation.", question=question.id
            ),
        )
