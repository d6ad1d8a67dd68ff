"""The Respond button and its form. The button is a dynamic item (the round id lives in its
custom_id), so buttons in a round's thread keep working after a restart; the form of every active
round is registered again at start, so a form open across a restart still arrives."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.errors import UserError
from bot.domain.mock import MAX_TURN_CHARS
from bot.host import bot_of
from bot.i18n.messages import N_, tr
from bot.ui.buttons import KeyedButton
from bot.ui.cooldowns import throttle
from bot.ui.embeds import clip
from bot.ui.mock_embeds import kept_text_embed
from bot.ui.replies import refusal_text, reply, report_error, server_of


class RespondModal(discord.ui.Modal):
    def __init__(self, round_id: int, title: str, locale: object = None) -> None:
        super().__init__(
            title=clip(tr(locale, "Respond · {title}", title=title), 45),
            custom_id=f"mock:modal:{round_id}",
            timeout=None,
        )
        self.round_id = round_id
        self.answer: discord.ui.TextInput[RespondModal] = discord.ui.TextInput(
            label=tr(locale, "Your answer"),
            custom_id="answer",
            style=discord.TextStyle.paragraph,
            max_length=MAX_TURN_CHARS,
            placeholder=tr(
                locale, "Your next turn: reasoning, design, code (``` blocks welcome) or story."
            ),
        )
        self.add_item(self.answer)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        text = self.answer.value
        guild_id = server_of(interaction)
        # A silent acknowledgement: the answer itself is echoed into the thread.
        await interaction.response.defer()
        try:
            await throttle(interaction, "mock_turn")
            await bot_of(interaction).services.mocks.take_turn(
                guild_id=guild_id,
                round_id=self.round_id,
                user_id=interaction.user.id,
                display_name=interaction.user.display_name,
                text=text,
                source="modal",
            )
        except UserError as exc:
            # The form is gone once submitted: hand the text back with the refusal.
            await reply(
                interaction,
                refusal_text(interaction, exc),
                embed=kept_text_embed(text, interaction.locale),
            )

    async def on_error(  # type: ignore[override]  # discord.py types Modal.on_error narrower
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await report_error(interaction, error)


class RespondButton(KeyedButton, prefix="mock:respond"):
    button_label = N_("Respond")
    button_emoji = "💬"

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        # Database reads only: a modal must be the first response, within 3 s.
        _, question = await bot_of(interaction).services.mocks.for_response(
            self.number, interaction.user.id, guild_id=server_of(interaction)
        )
        await interaction.response.send_modal(
            RespondModal(self.number, question.title_in(interaction.locale), interaction.locale)
        )


class RunCodeButton(KeyedButton, prefix="mock:run"):
    button_label = N_("Run")
    button_emoji = "▶️"
    button_style = discord.ButtonStyle.secondary

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        await throttle(interaction, "code_run")
        # The results and the interviewer's question about them are posted in the thread.
        await interaction.response.defer()
        await bot_of(interaction).services.mocks.run_code(
            guild_id=server_of(interaction), round_id=self.number, user_id=interaction.user.id
        )


MOCK_DYNAMIC_ITEMS = (RespondButton, RunCodeButton)


def respond_view(
    round_id: int, *, runs_code: bool = False, locale: object = None
) -> discord.ui.View:
    """Respond, and Run in a coding round whose question has tests; labelled in the round's
    language (`locale`)."""
    view = discord.ui.View(timeout=None)
    view.add_item(RespondButton(round_id, locale))
    if runs_code:
        view.add_item(RunCodeButton(round_id, locale))
    return view
