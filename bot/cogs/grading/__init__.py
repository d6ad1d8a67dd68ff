from __future__ import annotations

from discord.ext import commands

from bot.cogs.grading._cog import GradingCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(GradingCog(bot))
