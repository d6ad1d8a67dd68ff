from __future__ import annotations

from discord.ext import commands

from bot.cogs.practice._cog import PracticeCog
from bot.cogs.practice._views import PRACTICE_DYNAMIC_ITEMS


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(*PRACTICE_DYNAMIC_ITEMS)
    await bot.add_cog(PracticeCog(bot))
