"""The practice question's Answer button; its form is in `bot.ui.answer_form`. The question id
lives in the custom_id, so the button keeps working after a restart."""

from __future__ import annotations

from typing import Any

import discord

from bot.host import bot_of
from bot.i18n.messages import N_
from bot.ui.answer_form import practice_form
from bot.ui.buttons import KeyedButton
from bot.ui.privacy_notice import send_answer_form
from bot.ui.replies import server_of


class PracticeAnswerButton(KeyedButton, prefix="practice:answer", key=r"[a-z0-9-]{3,60}"):
    button_label = N_("Answer")
    button_emoji = "✍️"

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        question = await bot_of(interaction).services.practice.question(
            server_of(interaction), self.key
        )
        await send_answer_form(
            interaction,
            practice_form(self.key, question.title_in(interaction.locale), interaction.locale),
        )


PRACTICE_DYNAMIC_ITEMS = (PracticeAnswerButton,)


def practice_view(question_id: str, locale: object = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(PracticeAnswerButton(question_id, locale))
    return view
