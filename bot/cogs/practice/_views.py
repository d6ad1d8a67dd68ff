"""The practice question's Answer button and modal. The question id lives in the custom_id, so
the button keeps working after a restart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.ui.buttons import KeyedButton, bot_of
from bot.ui.feedback import send_answer_outcome
from bot.ui.privacy_notice import send_answer_form
from bot.ui.replies import report_error, server_of

if TYPE_CHECKING:
    pass

ANSWER_MAX = 4000


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
        guild_id = server_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await bot_of(interaction).services.practice.submit(
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


class PracticeAnswerButton(KeyedButton, prefix="practice:answer", key=r"[a-z0-9-]{3,60}"):
    button_label = "Answer"
    button_emoji = "✍️"

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        question = await bot_of(interaction).services.practice.question(
            server_of(interaction), self.key
        )
        await send_answer_form(interaction, PracticeModal(self.key, f"Practice · {question.title}"))


PRACTICE_DYNAMIC_ITEMS = (PracticeAnswerButton,)


def practice_view(question_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(PracticeAnswerButton(question_id))
    return view
