from __future__ import annotations

from bot.cogs.daily._cog import DailyCog
from bot.host import StudyBot


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(DailyCog(bot))
