"""Whose language a text is in: a member's own (what only they see) or the server's (what the bot
posts in a channel for everyone)."""

from __future__ import annotations

from typing import Any

import discord
from babel import Locale

from bot.host import StudyBot, bot_of
from bot.i18n.locales import DISCORD_LOCALES, babel_locale
from bot.i18n.messages import SOURCE_LOCALE, known_locale


async def server_language(bot: StudyBot, guild_id: int) -> str:
    """The language of the bot's channel posts in a server: the one an admin chose with
    `/daily language`, else the server's preferred locale (Community servers set it), else
    English."""
    chosen = await bot.services.daily.language(guild_id)
    if chosen:
        return chosen
    guild = bot.get_guild(guild_id)
    return known_locale(guild.preferred_locale) if guild is not None else SOURCE_LOCALE


async def interaction_server_language(interaction: discord.Interaction[Any]) -> str:
    """`server_language` from an interaction, which carries the server's locale itself."""
    if interaction.guild_id is None:
        return known_locale(interaction.locale)
    chosen = await bot_of(interaction).services.daily.language(interaction.guild_id)
    return chosen or known_locale(interaction.guild_locale)


def native_name(code: str) -> str:
    """A Discord locale as its speakers write it: `Français`."""
    locale: Locale = babel_locale(code)
    own = locale.get_display_name(locale) or code
    return own[:1].upper() + own[1:]


def language_name(code: str) -> str:
    """A Discord locale as its speakers write it, with the English name: `Français (French)`."""
    english = babel_locale(code).get_display_name("en") or code
    return f"{native_name(code)} ({english}) · {code}"


def language_choices(current: str) -> list[str]:
    """Discord locales matching what an admin typed, for autocomplete (at most 25)."""
    typed = current.casefold().strip()
    return [code for code in DISCORD_LOCALES if typed in language_name(code).casefold()][:25]
