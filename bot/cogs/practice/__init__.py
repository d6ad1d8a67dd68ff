from __future__ import annotations

from bot.cogs.practice._cog import PracticeCog
from bot.host import StudyBot


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(PracticeCog(bot))
