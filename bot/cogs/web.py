"""`/web public on|off`: whether the server's board is on the web companion (Manage Server)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord.ext import commands

from bot.cogs._checks import AdminGroup, require_manage_guild
from bot.i18n.messages import tr
from bot.services.web import WebStatus
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot


def status_text(status: WebStatus, locale: object = None) -> str:
    if not status.public:
        return tr(
            locale,
            "The leaderboard is **not public**: the web page for this server answers 404. "
            "Turn it on with `/web public state:on`.",
        )
    if status.board_url:
        return tr(
            locale,
            "✅ The leaderboard is **public**: anyone with the link sees the week, month, "
            "all-time and round boards (members who chose `/privacy hide` never appear). It is "
            "at {url}.",
            url=status.board_url,
        )
    return tr(
        locale,
        "✅ The leaderboard is **public**: anyone with the link sees the week, month, all-time "
        "and round boards (members who chose `/privacy hide` never appear). The bot's operator "
        "has not set BOT_WEB_BASE_URL, so I cannot link to it yet.",
    )


class WebCog(commands.Cog):
    web = AdminGroup(name="web", description="The server's page on the web companion")

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @web.command(name="public", description="Show the leaderboard on the web, or stop showing it")
    async def public(
        self, interaction: discord.Interaction[Any], state: Literal["on", "off"]
    ) -> None:
        guild_id = require_manage_guild(interaction)
        name = interaction.guild.name if interaction.guild else ""
        status = await self.bot.services.web.set_public(guild_id, state == "on", name)
        await reply(interaction, status_text(status, interaction.locale))


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(WebCog(bot))
