from __future__ import annotations

from bot.cogs.grading._cog import GradingCog
from bot.host import StudyBot


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(GradingCog(bot))
