from __future__ import annotations

from discord.ext import commands

from bot.cogs.daily._cog import DailyCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(DailyCog(bot))
