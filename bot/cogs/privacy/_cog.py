"""`/privacy export|delete|hide|show`: a member's own data in this guild."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._checks import guild_only
from bot.i18n.messages import tr
from bot.ui.cooldowns import throttle
from bot.ui.privacy_embeds import (
    ALREADY_HIDDEN,
    ALREADY_SHOWN,
    HIDDEN,
    NOTHING_STORED,
    SHOWN,
    delete_prompt,
    export_file,
    export_text,
)
from bot.ui.privacy_views import delete_view
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot


class PrivacyCog(commands.Cog):
    privacy = app_commands.Group(
        name="privacy", description="What the bot keeps about you in this server"
    )

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @privacy.command(name="export", description="A JSON file of everything kept about you here")
    async def export(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_only(interaction)
        await throttle(interaction, "export")
        await interaction.response.defer(ephemeral=True, thinking=True)
        exported = await self.bot.services.privacy.export(guild_id, interaction.user.id)
        # Serialising and compressing a large export must not stall every other server.
        file = await asyncio.to_thread(export_file, exported)
        await reply(interaction, export_text(exported, interaction.locale), file=file)

    @privacy.command(name="delete", description="Delete everything kept about you here")
    async def delete(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_only(interaction)
        footprint = await self.bot.services.privacy.footprint(guild_id, interaction.user.id)
        if footprint.empty:
            await reply(interaction, tr(interaction.locale, NOTHING_STORED))
            return
        locale = interaction.locale
        await reply(
            interaction,
            delete_prompt(footprint, locale),
            view=delete_view(interaction.user.id, locale),
        )

    @privacy.command(name="hide", description="Leave this server's leaderboards and rank cards")
    async def hide(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_only(interaction)
        changed = await self.bot.services.privacy.hide(
            guild_id, interaction.user.id, interaction.user.display_name
        )
        await reply(interaction, tr(interaction.locale, HIDDEN if changed else ALREADY_HIDDEN))

    @privacy.command(name="show", description="Appear on this server's leaderboards again")
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_only(interaction)
        changed = await self.bot.services.privacy.show(guild_id, interaction.user.id)
        await reply(interaction, tr(interaction.locale, SHOWN if changed else ALREADY_SHOWN))
