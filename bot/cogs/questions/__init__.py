from __future__ import annotations

from discord.ext import commands

from bot.cogs.questions._cog import QuestionsCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(QuestionsCog(bot))
