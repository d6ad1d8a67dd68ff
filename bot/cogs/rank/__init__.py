from __future__ import annotations

from discord.ext import commands

from bot.cogs.rank._cog import RankCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(RankCog(bot))
