from __future__ import annotations

from discord.ext import commands

from bot.cogs.peer._cog import PeerCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(PeerCog(bot))
