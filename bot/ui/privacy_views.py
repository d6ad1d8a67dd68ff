"""The confirm and cancel buttons of `/privacy delete`. The member's id lives in the custom_id:
the buttons work after a restart, and pressed by anyone else they refuse."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.errors import UserError
from bot.host import bot_of
from bot.i18n.messages import N_, tr
from bot.ui.buttons import KeyedButton
from bot.ui.privacy_embeds import KEPT, NOT_YOURS, deleted_text
from bot.ui.replies import NO_PINGS


def _owner_only(interaction: discord.Interaction[Any], user_id: int) -> int:
    """The guild id, once the presser is the member whose data the button is about."""
    if interaction.user.id != user_id:
        raise UserError(NOT_YOURS, code="not-yours")
    if interaction.guild_id is None:
        raise UserError("This button works inside a server.", code="dm")
    return interaction.guild_id


class ConfirmDeleteButton(KeyedButton, prefix="privacy:delete"):
    button_label = N_("Delete my data")
    button_style = discord.ButtonStyle.danger
    button_emoji = "🗑"

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = _owner_only(interaction, self.number)
        # The prompt becomes the result; deferred in case the deletion is a big one.
        await interaction.response.defer()
        deleted = await bot_of(interaction).services.privacy.delete(guild_id, self.number)
        await interaction.edit_original_response(
            content=deleted_text(deleted, interaction.locale), view=None, allowed_mentions=NO_PINGS
        )


class KeepDataButton(KeyedButton, prefix="privacy:keep"):
    button_label = N_("Keep it")
    button_style = discord.ButtonStyle.secondary

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        _owner_only(interaction, self.number)
        await interaction.response.edit_message(
            content=tr(interaction.locale, KEPT), view=None, allowed_mentions=NO_PINGS
        )


PRIVACY_DYNAMIC_ITEMS = (ConfirmDeleteButton, KeepDataButton)


def delete_view(user_id: int, locale: object = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmDeleteButton(user_id, locale))
    view.add_item(KeepDataButton(user_id, locale))
    return view
