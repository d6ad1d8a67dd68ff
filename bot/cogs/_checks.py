"""Run-time checks shared by cogs, and the one Manage Server rule for admin commands.

Discord hides a command from members only by the default member permissions of its top-level
command; a subcommand (`/daily setup`) cannot be hidden on its own, and a server may override the
default. So every admin command is checked here at run time as well, and wholly-admin groups are
`AdminGroup`s, which also carry the default permissions."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import UserError
from bot.i18n.messages import N_

MANAGE_SERVER = discord.Permissions(manage_guild=True)
NOT_A_MANAGER = N_(
    "You need the **Manage Server** permission for this command; nothing was changed."
)


def guild_only(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None:
        raise UserError("This command works inside a server, not in DMs.", code="dm")
    return interaction.guild_id


def is_manager(interaction: discord.Interaction[Any]) -> bool:
    permissions = interaction.permissions
    return permissions.manage_guild or permissions.administrator


def require_manage_guild(interaction: discord.Interaction[Any]) -> int:
    guild_id = guild_only(interaction)
    if not is_manager(interaction):
        raise UserError(NOT_A_MANAGER, code="no-permission")
    return guild_id


class ManageServerRequired(app_commands.CheckFailure):
    """Raised by `AdminGroup`'s check; its text is what the member sees."""


class AdminGroup(app_commands.Group):
    """A group whose every command needs Manage Server: hidden from members by default (at top
    level) and refused at run time wherever a server's overrides let someone see it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(default_permissions=MANAGE_SERVER, guild_only=True, **kwargs)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.guild_id is None:
            raise ManageServerRequired("This command works inside a server, not in DMs.")
        if not is_manager(interaction):
            raise ManageServerRequired(NOT_A_MANAGER)
        return True
