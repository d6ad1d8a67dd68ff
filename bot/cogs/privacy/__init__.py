from __future__ import annotations

from bot.cogs.privacy._cog import PrivacyCog
from bot.cogs.privacy._guilds import GuildLifecycle
from bot.host import StudyBot


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(PrivacyCog(bot))
    await bot.add_cog(GuildLifecycle(bot))
