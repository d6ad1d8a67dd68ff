"""The 32 locales Discord offers and the catalog each one reads."""

from __future__ import annotations

from babel import Locale

# Discord's locale codes, in the order of its documentation.
DISCORD_LOCALES: tuple[str, ...] = (
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu",
    "nl", "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru",
    "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko",
)  # fmt: skip

# The pack and the bot are written in English: these locales read the source text as it is.
SOURCE_LOCALES: frozenset[str] = frozenset({"en-US", "en-GB"})

# Where a Discord code is not the POSIX name gettext and Babel use for the same language.
_CATALOG_IDS = {"no": "nb"}


def catalog_id(discord_locale: str) -> str:
    """The folder name of a Discord locale's catalogs: `pt-BR` -> `pt_BR`, `no` -> `nb`."""
    return _CATALOG_IDS.get(discord_locale, discord_locale.replace("-", "_"))


def translated_locales() -> tuple[str, ...]:
    """The Discord locales that have catalogs of their own (all but English)."""
    return tuple(code for code in DISCORD_LOCALES if code not in SOURCE_LOCALES)


def babel_locale(discord_locale: str | None) -> Locale:
    """Babel's locale for formatting dates and numbers; English for an unknown code."""
    if not discord_locale or discord_locale not in DISCORD_LOCALES:
        return Locale.parse("en_US")
    return Locale.parse(catalog_id(discord_locale))
