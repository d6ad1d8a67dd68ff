"""The daily post's buttons; the form they open is in `bot.ui.answer_form`. Buttons are dynamic
items: the post id lives in the custom_id, so buttons on old posts (and ephemeral copies) keep
working after a restart."""

from __future__ import annotations

from typing import Any

import discord

from bot.host import bot_of
from bot.i18n.messages import N_, tr
from bot.ui.answer_form import daily_form
from bot.ui.buttons import KeyedButton
from bot.ui.embeds import clarifications_embed
from bot.ui.feedback import send_pending_feedback
from bot.ui.plural import points
from bot.ui.privacy_notice import send_answer_form
from bot.ui.replies import reply, server_of


class AnswerButton(KeyedButton, prefix="daily:answer"):
    button_label = N_("Answer")
    button_emoji = "✍️"

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        # Checked from the database only: a modal must be the first response, within 3 s.
        question = await bot_of(interaction).services.answers.question_for_post(
            server_of(interaction), self.number
        )
        await send_answer_form(
            interaction,
            daily_form(self.number, question.title_in(interaction.locale), interaction.locale),
        )


class HintButton(KeyedButton, prefix="daily:hint"):
    button_label = N_("Hint")
    button_style = discord.ButtonStyle.secondary
    button_emoji = "💡"

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        hint = await bot_of(interaction).services.answers.use_hint(
            guild_id=server_of(interaction),
            user_id=interaction.user.id,
            post_id=self.number,
        )
        heading = tr(
            interaction.locale,
            "💡 **Hint {number}/{total}** (−{penalty} on this answer)",
            number=hint.number,
            total=hint.total,
            penalty=points(hint.penalty, interaction.locale),
        )
        await reply(interaction, f"{heading}\n{hint.text}")
        await send_pending_feedback(interaction)


class ClarifyButton(KeyedButton, prefix="daily:clarify"):
    button_label = N_("Clarify")
    button_style = discord.ButtonStyle.secondary
    button_emoji = "🔎"

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        clarifications = await bot_of(interaction).services.answers.ask_clarifications(
            guild_id=server_of(interaction),
            user_id=interaction.user.id,
            post_id=self.number,
        )
        await reply(interaction, embed=clarifications_embed(clarifications, interaction.locale))
        await send_pending_feedback(interaction)


DAILY_DYNAMIC_ITEMS = (AnswerButton, HintButton, ClarifyButton)


def daily_view(post_id: int, *, clarify: bool, locale: object = None) -> discord.ui.View:
    """`clarify`: the question has clarifications to show; `locale`: the labels' language (the
    server's on the channel post, the member's on a private copy)."""
    view = discord.ui.View(timeout=None)
    view.add_item(AnswerButton(post_id, locale))
    view.add_item(HintButton(post_id, locale))
    if clarify:
        view.add_item(ClarifyButton(post_id, locale))
    return view
