from __future__ import annotations

from bot.cogs.rank._cog import RankCog
from bot.host import StudyBot


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(RankCog(bot))
