"""The practice question's Answer button and modal. The question id lives in the custom_id, so
the button keeps working after a restart."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.domain.errors import UserError
from bot.ui.feedback import send_answer_outcome
from bot.ui.privacy_notice import send_answer_form
from bot.ui.replies import report_error

if TYPE_CHECKING:
    from bot.app import InterviewBot

ANSWER_MAX = 4000


def _bot(interaction: discord.Interaction[Any]) -> InterviewBot:
    return cast("InterviewBot", interaction.client)


def _guild_id(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None:
        raise UserError("This button works inside a server.", code="dm")
    return interaction.guild_id


class PracticeModal(discord.ui.Modal):
    answer: discord.ui.TextInput[PracticeModal] = discord.ui.TextInput(
        label="Your answer",
        custom_id="answer",
        style=discord.TextStyle.paragraph,
        max_length=ANSWER_MAX,
        placeholder="Answer as you would in the interview. Only you see the feedback.",
    )

    def __init__(self, question_id: str, title: str) -> None:
        super().__init__(title=title[:45], custom_id=f"practice:modal:{question_id}", timeout=None)
        self.question_id = question_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = _guild_id(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await _bot(interaction).services.practice.submit(
            guild_id=guild_id,
            user_id=interaction.user.id,
            display_name=interaction.user.display_name,
            question_id=self.question_id,
            content=self.answer.value,
            locale=str(interaction.locale),
        )
        await send_answer_outcome(interaction, outcome)

    async def on_error(  # type: ignore[override]  # discord.py types Modal.on_error narrower
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await report_error(interaction, error)


class PracticeAnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"practice:answer:(?P<question_id>[a-z0-9-]{3,60})",
):
    def __init__(self, question_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Answer",
                style=discord.ButtonStyle.primary,
                emoji="✍️",
                custom_id=f"practice:answer:{question_id}",
            )
        )
        self.question_id = question_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> PracticeAnswerButton:
        return cls(match["question_id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            guild_id = _guild_id(interaction)
            question = await _bot(interaction).services.practice.question(
                guild_id, self.question_id
            )
            await send_answer_form(
                interaction, PracticeModal(self.question_id, f"Practice · {question.title}")
            )
        except Exception as error:
            await report_error(interaction, error)


PRACTICE_DYNAMIC_ITEMS = (PracticeAnswerButton,)


def practice_view(question_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(PracticeAnswerButton(question_id))
    return view
