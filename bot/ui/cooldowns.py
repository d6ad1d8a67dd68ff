"""Where a member's action meets its cooldown: refused with when to try again, before any work."""

from __future__ import annotations

import math
import time
from typing import Any, Final

import discord

from bot.domain.cooldowns import CooldownKind
from bot.domain.errors import UserError
from bot.host import StudyBot, bot_of
from bot.i18n.messages import N_, number

# One whole sentence per kind, so that each language can phrase the action its own way.
_SLOW_DOWN: Final[dict[CooldownKind, str]] = {
    "answer": N_(
        "⏳ Slow down: you can submit an answer again {when} (in {seconds} s). Nothing was changed."
    ),
    "mock_turn": N_(
        "⏳ Slow down: you can answer the interviewer again {when} (in {seconds} s). "
        "Nothing was changed."
    ),
    "practice": N_(
        "⏳ Slow down: you can ask for a practice question again {when} (in {seconds} s). "
        "Nothing was changed."
    ),
    "export": N_(
        "⏳ Slow down: you can export your data again {when} (in {seconds} s). Nothing was changed."
    ),
    "chart": N_(
        "⏳ Slow down: you can draw the progress chart again {when} (in {seconds} s). "
        "Nothing was changed."
    ),
    "code_run": N_(
        "⏳ Slow down: you can run the tests again {when} (in {seconds} s). Nothing was changed."
    ),
}


async def check_cooldown(
    bot: StudyBot, guild_id: int, user_id: int, kind: CooldownKind, locale: object = None
) -> None:
    """Use one of the member's turns at `kind`, or raise a UserError saying when to try again
    (shown in `locale`'s language by whoever reports it)."""
    if not bot.settings.bot_cooldowns:
        return
    seconds = await bot.services.cooldowns.seconds(guild_id, kind)
    now = time.time()
    wait = bot.throttle.hit(guild_id, user_id, kind, seconds, now)
    if wait > 0:
        raise UserError(_SLOW_DOWN[kind], code="cooldown", **cooldown_params(wait, now, locale))


async def throttle(interaction: discord.Interaction[Any], kind: CooldownKind) -> None:
    if interaction.guild_id is not None:
        bot = bot_of(interaction)
        await check_cooldown(
            bot, interaction.guild_id, interaction.user.id, kind, interaction.locale
        )


def cooldown_params(wait: float, now: float, locale: object = None) -> dict[str, object]:
    seconds = max(1, math.ceil(wait))
    return {"when": f"<t:{math.ceil(now + wait)}:R>", "seconds": number(locale, seconds)}
