"""Slash-command names, descriptions and choices in every Discord locale.

discord.py asks the translator for each string of the command tree once per locale when the tree
is synced; the answers come from the `commands` catalog, keyed by where the string sits (a command
name, a parameter description, ...). A missing translation, or a name Discord would refuse, leaves
the English one in place."""

from __future__ import annotations

import unicodedata

from discord import Locale, app_commands

from bot.i18n.catalogs import translate
from bot.i18n.locales import SOURCE_LOCALES

COMMANDS_DOMAIN = "commands"

_NAME_LOCATIONS = frozenset(
    {
        app_commands.TranslationContextLocation.command_name,
        app_commands.TranslationContextLocation.group_name,
        app_commands.TranslationContextLocation.parameter_name,
    }
)


def valid_command_name(name: str) -> bool:
    """Discord's rule for (localized) names: 1-32 characters, lower case where the script has
    case, letters, digits, `-`, `_` and `'`, and the marks Devanagari and Thai need."""
    if not 1 <= len(name) <= 32 or name != name.lower():
        return False
    return all(_name_character(ch) for ch in name)


def _name_character(ch: str) -> bool:
    if ch in "-_'":
        return True
    category = unicodedata.category(ch)
    if category[0] in "LN":
        return True
    # Combining vowel signs of Devanagari (Hindi) and Thai are part of words there.
    return category[0] == "M" and ("\u0900" <= ch <= "\u097f" or "\u0e00" <= ch <= "\u0e7f")


def context_key(location: app_commands.TranslationContextLocation) -> str:
    """The catalog's msgctxt for a place in the tree, e.g. `parameter_description`."""
    return location.name


class CommandTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale.value in SOURCE_LOCALES:
            return None
        where = context_key(context.location)
        text = translate(COMMANDS_DOMAIN, locale.value, where, string.message)
        if text is None:
            return None
        if context.location in _NAME_LOCATIONS and not valid_command_name(text):
            return None
        return text
