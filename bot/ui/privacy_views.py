"""The confirm and cancel buttons of `/privacy delete`. The member's id lives in the custom_id:
the buttons work after a restart, and pressed by anyone else they refuse."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.domain.errors import UserError
from bot.ui.privacy_embeds import KEPT, NOT_YOURS, deleted_text
from bot.ui.replies import NO_PINGS, report_error

if TYPE_CHECKING:
    from bot.app import InterviewBot


def _owner_only(interaction: discord.Interaction[Any], user_id: int) -> int:
    """The guild id, once the presser is the member whose data the button is about."""
    if interaction.user.id != user_id:
        raise UserError(NOT_YOURS, code="not-yours")
    if interaction.guild_id is None:
        raise UserError("This button works inside a server.", code="dm")
    return interaction.guild_id


class ConfirmDeleteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"privacy:delete:(?P<user_id>\d+)"
):
    def __init__(self, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete my data",
                style=discord.ButtonStyle.danger,
                emoji="🗑",
                custom_id=f"privacy:delete:{user_id}",
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> ConfirmDeleteButton:
        return cls(int(match["user_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            guild_id = _owner_only(interaction, self.user_id)
            # The prompt becomes the result; deferred in case the deletion is a big one.
            await interaction.response.defer()
            bot = cast("InterviewBot", interaction.client)
            deleted = await bot.services.privacy.delete(guild_id, self.user_id)
            await interaction.edit_original_response(
                content=deleted_text(deleted), view=None, allowed_mentions=NO_PINGS
            )
        except Exception as error:
            await report_error(interaction, error)


class KeepDataButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"privacy:keep:(?P<user_id>\d+)"
):
    def __init__(self, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Keep it",
                style=discord.ButtonStyle.secondary,
                custom_id=f"privacy:keep:{user_id}",
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> KeepDataButton:
        return cls(int(match["user_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            _owner_only(interaction, self.user_id)
            await interaction.response.edit_message(
                content=KEPT, view=None, allowed_mentions=NO_PINGS
            )
        except Exception as error:
            await report_error(interaction, error)


PRIVACY_DYNAMIC_ITEMS = (ConfirmDeleteButton, KeepDataButton)


def delete_view(user_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmDeleteButton(user_id))
    view.add_item(KeepDataButton(user_id))
    return view
