"""The daily post's buttons and the answer modal. Buttons are dynamic items: the post id lives in
the custom_id, so buttons on old posts (and ephemeral copies) keep working after a restart."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.ui.buttons import KeyedButton, bot_of
from bot.ui.feedback import send_answer_outcome, send_pending_feedback
from bot.ui.privacy_notice import send_answer_form
from bot.ui.replies import reply, report_error, server_of

ANSWER_MAX = 4000


class AnswerModal(discord.ui.Modal):
    answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
        label="Your answer",
        custom_id="answer",
        style=discord.TextStyle.paragraph,
        max_length=ANSWER_MAX,
        placeholder="Explain your approach, trade-offs and complexity. Only you see the feedback.",
    )

    def __init__(self, post_id: int, title: str) -> None:
        super().__init__(title=title[:45], custom_id=f"daily:modal:{post_id}", timeout=None)
        self.post_id = post_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Submissions are handled by `handle_answer_submission` from the bot's interaction
        listener: discord.py forgets open modals on a restart, and a member who opened the form
        before one must not lose what they typed."""


_ANSWER_MODAL_ID = re.compile(r"^daily:modal:(\d+)$")


def _text_inputs(components: list[Any]) -> dict[str, str]:
    """The submitted values by custom_id, for both the action-row and the label layouts."""
    values: dict[str, str] = {}
    for component in components:
        if component.get("type") == 1:
            values.update(_text_inputs(component.get("components") or []))
        elif component.get("type") == 18 and isinstance(component.get("component"), dict):
            values.update(_text_inputs([component["component"]]))
        elif "custom_id" in component:
            values[str(component["custom_id"])] = str(component.get("value") or "")
    return values


async def handle_answer_submission(interaction: discord.Interaction[Any]) -> None:
    """Grade a submitted answer form, whether or not this process opened it."""
    data: Any = interaction.data or {}
    if interaction.type is not discord.InteractionType.modal_submit:
        return
    match = _ANSWER_MODAL_ID.match(str(data.get("custom_id", "")))
    if match is None:
        return
    try:
        guild_id = server_of(interaction)
        content = _text_inputs(list(data.get("components") or [])).get("answer", "")
        # Grading can take longer than the 3 s Discord allows for a first response.
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await bot_of(interaction).services.answers.submit_daily(
            guild_id=guild_id,
            user_id=interaction.user.id,
            display_name=interaction.user.display_name,
            post_id=int(match[1]),
            content=content,
            locale=str(interaction.locale),
        )
        await send_answer_outcome(interaction, outcome)
    except Exception as error:
        await report_error(interaction, error)


class AnswerButton(KeyedButton, prefix="daily:answer"):
    button_label = "Answer"
    button_emoji = "✍️"

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        # Checked from the database only: a modal must be the first response, within 3 s.
        question = await bot_of(interaction).services.answers.question_for_post(
            server_of(interaction), self.number
        )
        await send_answer_form(interaction, AnswerModal(self.number, f"Answer · {question.title}"))


class HintButton(KeyedButton, prefix="daily:hint"):
    button_label = "Hint"
    button_style = discord.ButtonStyle.secondary
    button_emoji = "💡"

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        hint = await bot_of(interaction).services.answers.use_hint(
            guild_id=server_of(interaction),
            user_id=interaction.user.id,
            post_id=self.number,
        )
        await reply(
            interaction,
            f"💡 **Hint {hint.number}/{hint.total}** (−{hint.penalty} pts on this answer)\n"
            f"{hint.text}",
        )
        await send_pending_feedback(interaction)


DAILY_DYNAMIC_ITEMS = (AnswerButton, HintButton)


def daily_view(post_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AnswerButton(post_id))
    view.add_item(HintButton(post_id))
    return view
