"""The form behind `/questions add`."""

from __future__ import annotations

from typing import Any

import discord

from bot.host import bot_of
from bot.i18n.messages import N_, tr
from bot.ui.embeds import difficulty_text, round_text
from bot.ui.replies import reply, report_error

RUBRIC_PLACEHOLDER = N_(
    "One criterion per line: name | weight 1-5 | what a strong answer shows | what a weak one shows"
)


class AddQuestionModal(discord.ui.Modal):
    """The form in the admin's language (`locale`: their interaction's)."""

    def __init__(
        self, *, round_name: str, difficulty: str, time_box: int, locale: object = None
    ) -> None:
        super().__init__(title=tr(locale, "Add a question")[:45])
        self.round_name = round_name
        self.difficulty = difficulty
        self.time_box = time_box
        # i18n: a field of the form that adds a question: the question's title.
        self.question_title: discord.ui.TextInput[AddQuestionModal] = discord.ui.TextInput(
            label=tr(locale, "Title"), max_length=120, min_length=5
        )
        self.prompt: discord.ui.TextInput[AddQuestionModal] = discord.ui.TextInput(
            label=tr(locale, "Prompt (self-contained)"),
            style=discord.TextStyle.paragraph,
            max_length=3000,
        )
        self.rubric: discord.ui.TextInput[AddQuestionModal] = discord.ui.TextInput(
            label=tr(locale, "Rubric (3-6 lines)"),
            style=discord.TextStyle.paragraph,
            max_length=4000,
            placeholder=tr(locale, RUBRIC_PLACEHOLDER),
        )
        self.hints: discord.ui.TextInput[AddQuestionModal] = discord.ui.TextInput(
            label=tr(locale, "Hints (2-3 lines, gentlest first)"),
            style=discord.TextStyle.paragraph,
            max_length=1500,
        )
        self.follow_ups: discord.ui.TextInput[AddQuestionModal] = discord.ui.TextInput(
            label=tr(locale, "Follow-up questions (2-4 lines)"),
            style=discord.TextStyle.paragraph,
            max_length=1500,
        )
        for field in (self.question_title, self.prompt, self.rubric, self.hints, self.follow_ups):
            self.add_item(field)

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
        locale = interaction.locale
        await reply(
            interaction,
            tr(
                locale,
                "✅ Added `{question}` ({round}, {difficulty}). It joins this server's daily "
                "rotation.",
                question=question.id,
                round=round_text(question.round, locale),
                difficulty=difficulty_text(question.difficulty, locale),
            ),
        )

    async def on_error(  # type: ignore[override]  # discord.py types Modal.on_error narrower
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await report_error(interaction, error)
