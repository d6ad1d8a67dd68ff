from __future__ import annotations

from bot.cogs.mock._cog import MockCog
from bot.cogs.mock._listener import MockThreadListener
from bot.host import StudyBot


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(MockCog(bot))
    await bot.add_cog(MockThreadListener(bot))
