"""Run-time checks shared by cogs (default permissions alone can be changed by server admins)."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.errors import UserError


def guild_only(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None:
        raise UserError("This command works inside a server, not in DMs.", code="dm")
    return interaction.guild_id


def require_manage_guild(interaction: discord.Interaction[Any]) -> int:
    guild_id = guild_only(interaction)
    permissions = interaction.permissions
    if not (permissions.manage_guild or permissions.administrator):
        raise UserError(
            "You need the **Manage Server** permission for this command; nothing was changed.",
            code="no-permission",
        )
    return guild_id
