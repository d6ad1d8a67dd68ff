"""Where a member's action meets its cooldown: refused with when to try again, before any work."""

from __future__ import annotations

import math
import time
from typing import Any

import discord

from bot.domain.cooldowns import RULES, CooldownKind
from bot.domain.errors import UserError
from bot.host import StudyBot, bot_of


async def check_cooldown(bot: StudyBot, guild_id: int, user_id: int, kind: CooldownKind) -> None:
    """Use one of the member's turns at `kind`, or raise a UserError saying when to try again."""
    if not bot.settings.bot_cooldowns:
        return
    seconds = await bot.services.cooldowns.seconds(guild_id, kind)
    now = time.time()
    wait = bot.throttle.hit(guild_id, user_id, kind, seconds, now)
    if wait > 0:
        raise UserError(cooldown_text(kind, wait, now), code="cooldown")


async def throttle(interaction: discord.Interaction[Any], kind: CooldownKind) -> None:
    if interaction.guild_id is not None:
        await check_cooldown(bot_of(interaction), interaction.guild_id, interaction.user.id, kind)


def cooldown_text(kind: CooldownKind, wait: float, now: float) -> str:
    seconds = max(1, math.ceil(wait))
    return (
        f"⏳ Slow down: you can {RULES[kind].label} again <t:{math.ceil(now + wait)}:R> "
        f"(in {seconds} s). Nothing was changed."
    )
