from __future__ import annotations

from discord.ext import commands

from bot.cogs.mock._cog import MockCog
from bot.cogs.mock._listener import MockThreadListener


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(MockCog(bot))
    await bot.add_cog(MockThreadListener(bot))
