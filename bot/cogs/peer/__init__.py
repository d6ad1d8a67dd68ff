from __future__ import annotations

from bot.cogs.peer._cog import PeerCog
from bot.host import StudyBot


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(PeerCog(bot))
