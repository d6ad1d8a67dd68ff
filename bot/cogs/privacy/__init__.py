from __future__ import annotations

from discord.ext import commands

from bot.cogs.privacy._cog import PrivacyCog
from bot.cogs.privacy._guilds import GuildLifecycle
from bot.ui.privacy_views import PRIVACY_DYNAMIC_ITEMS


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(*PRIVACY_DYNAMIC_ITEMS)
    await bot.add_cog(PrivacyCog(bot))
    await bot.add_cog(GuildLifecycle(bot))
