"""The button on a member's own `/rank` card that lets other members see their grades per
round, weakest themes and chart (or stops it). The member's id is in the custom_id: it works
after a restart, and pressed by anyone else it refuses."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.errors import UserError
from bot.host import bot_of
from bot.i18n.messages import N_, tr
from bot.ui.buttons import KeyedButton

NOT_YOURS = N_("That button is for the member whose card it is; `/rank` shows your own.")
SHARED = N_(
    "Other members who open your `/rank` now see your grades per round, weakest themes and "
    "chart. The button on your card takes it back."
)
PRIVATE = N_(
    "Other members who open your `/rank` now see only your points, rank and streak; your "
    "grades, weakest themes and chart are yours alone."
)


async def _set(interaction: discord.Interaction[Any], user_id: int, shared: bool) -> None:
    if interaction.user.id != user_id:
        raise UserError(NOT_YOURS, code="not-yours")
    if interaction.guild_id is None:
        raise UserError("This button works inside a server.", code="dm")
    await bot_of(interaction).services.leaderboard.share_progress(
        interaction.guild_id, user_id, interaction.user.display_name, shared
    )
    await interaction.response.send_message(
        tr(interaction.locale, SHARED if shared else PRIVATE), ephemeral=True
    )


class ShareProgressButton(KeyedButton, prefix="rank:share"):
    button_label = N_("Let others see my grades")
    button_style = discord.ButtonStyle.secondary

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        await _set(interaction, self.number, True)


class KeepProgressPrivateButton(KeyedButton, prefix="rank:private"):
    button_label = N_("Keep my grades to myself")
    button_style = discord.ButtonStyle.secondary

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        await _set(interaction, self.number, False)


RANK_DYNAMIC_ITEMS = (ShareProgressButton, KeepProgressPrivateButton)


def add_sharing_button(
    view: discord.ui.View, user_id: int, *, shared: bool, locale: object = None
) -> discord.ui.View:
    """On the member's own card: the button that changes who sees their grades."""
    button = KeepProgressPrivateButton if shared else ShareProgressButton
    view.add_item(button(user_id, locale))
    return view
