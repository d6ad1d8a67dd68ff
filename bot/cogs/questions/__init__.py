from __future__ import annotations

from bot.cogs.questions._cog import QuestionsCog
from bot.host import StudyBot


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(QuestionsCog(bot))
