"""The form behind `/questions add`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.host import bot_of
from bot.ui.replies import reply, report_error

if TYPE_CHECKING:
    pass

RUBRIC_PLACEHOLDER = (
    "One criterion per line: name | weight 1-5 | what a strong answer shows | what a weak one shows"
)


class AddQuestionModal(discord.ui.Modal, title="Add a question"):
    question_title: discord.ui.TextInput[AddQuestionModal] = discord.ui.TextInput(
        label="Title", max_length=120, min_length=5
    )
    prompt: discord.ui.TextInput[AddQuestionModal] = discord.ui.TextInput(
        label="Prompt (self-contained)", style=discord.TextStyle.paragraph, max_length=3000
    )
    rubric: discord.ui.TextInput[AddQuestionModal] = discord.ui.TextInput(
        label="Rubric (3-6 lines)",
        style=discord.TextStyle.paragraph,
        max_length=4000,
        placeholder=RUBRIC_PLACEHOLDER,
    )
    hints: discord.ui.TextInput[AddQuestionModal] = discord.ui.TextInput(
        label="Hints (2-3 lines, gentlest first)",
        style=discord.TextStyle.paragraph,
        max_length=1500,
    )
    follow_ups: discord.ui.TextInput[AddQuestionModal] = discord.ui.TextInput(
        label="Follow-up questions (2-4 lines)", style=discord.TextStyle.paragraph, max_length=1500
    )

    def __init__(self, *, round_name: str, difficulty: str, time_box: int) -> None:
        super().__init__()
        self.round_name = round_name
        self.difficulty = difficulty
        self.time_box = time_box

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        bot = bot_of(interaction)
        assert interaction.guild_id is not None
        question = await bot.services.questions.add_from_form(
            guild_id=interaction.guild_id,
            user_id=interaction.user.id,
            round_name=self.round_name,
            difficulty=self.difficulty,
            time_box_minutes=self.time_box,
            title=self.question_title.value,
            prompt=self.prompt.value,
            rubric_text=self.rubric.value,
            hints_text=self.hints.value,
            follow_ups_text=self.follow_ups.value,
        )
        await reply(
            interaction,
            f"✅ Added `{question.id}` ({question.round.replace('_', ' ')}, "
            f"{question.difficulty}). It joins this server's daily rotation.",
        )

    async def on_error(  # type: ignore[override]  # discord.py types Modal.on_error narrower
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await report_error(interaction, error)
