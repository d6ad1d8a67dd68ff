"""gettext catalogs, read with Babel from the `.po` files that ship in the package.

A catalog maps (context, English text) to the locale's text. Entries that are empty or marked
fuzzy are left out, so the English text shows until a reviewed translation exists."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n.locales import catalog_id

LOCALES_DIR = Path(__file__).resolve().parent / "locales"

Key = tuple[str | None, str]


def po_path(domain: str, discord_locale: str) -> Path:
    return LOCALES_DIR / catalog_id(discord_locale) / "LC_MESSAGES" / f"{domain}.po"


def template_path(domain: str) -> Path:
    return LOCALES_DIR / f"{domain}.pot"


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


@cache
def translations(domain: str, discord_locale: str) -> dict[Key, str]:
    """The reviewed translations of one domain in one locale (empty when it has no catalog)."""
    path = po_path(domain, discord_locale)
    if not path.exists():
        return {}
    table: dict[Key, str] = {}
    for message in read_catalog(path):
        if not message.id or message.fuzzy or not isinstance(message.string, str):
            continue
        if message.string and isinstance(message.id, str):
            table[(message.context, message.id)] = message.string
    return table


def translate(domain: str, discord_locale: str, context: str | None, text: str) -> str | None:
    return translations(domain, discord_locale).get((context, text))
