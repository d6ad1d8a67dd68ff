"""The `messages` domain: every text the bot shows a member, in the member's or the server's
language.

    tr(locale, "Feedback · {title}", title=question.title)
    ntr(locale, "{n} answer", "{n} answers", count)

The English text is the msgid; `{name}` placeholders are filled after translation (str.format),
so a translation may move them but must keep each one. Catalogs are the `.po` files under
`bot/i18n/locales/<id>/LC_MESSAGES/messages.po`, compiled by Babel in memory the first time a
locale is asked for (fuzzy and empty entries left out). A locale without a catalog, an unknown
locale or None reads English. `N_` marks a text defined as data (a constant, an error raised in a
service) for extraction; whoever renders it calls `tr` with it.

Numbers, dates and times go through Babel's formatting for the same locale."""

from __future__ import annotations

import gettext
from datetime import date, datetime
from functools import cache
from io import BytesIO

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.numbers import format_decimal

from bot.i18n.catalogs import po_path, read_catalog
from bot.i18n.locales import DISCORD_LOCALES, SOURCE_LOCALES, babel_locale

MESSAGES_DOMAIN = "messages"
SOURCE_LOCALE = "en-US"


def N_(text: str) -> str:
    """Marks a text for extraction where it is defined; it is translated where it is shown."""
    return text


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a counted text defined as data; shown with `ntr(locale, *pair, n)`."""
    return singular, plural


def known_locale(locale: object) -> str:
    """A Discord locale code for `locale` (a string or a `discord.Locale`); English otherwise."""
    code = str(getattr(locale, "value", locale) or "")
    return code if code in DISCORD_LOCALES else SOURCE_LOCALE


@cache
def _translations(locale: str) -> gettext.NullTranslations:
    path = po_path(MESSAGES_DOMAIN, locale)
    if locale in SOURCE_LOCALES or not path.exists():
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, read_catalog(path), use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _filled(text: str, english: str, params: dict[str, object]) -> str:
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        # A broken translation (the catalog test catches it) must not break the reply.
        return english.format(**params)


def catalog_locales() -> tuple[str, ...]:
    """The Discord locales with a `messages` catalog of their own."""
    return tuple(
        code
        for code in DISCORD_LOCALES
        if code not in SOURCE_LOCALES and po_path(MESSAGES_DOMAIN, code).exists()
    )


def written_in(locale: object) -> str:
    """The language code of texts `tr` gives for `locale`: its own where it has a catalog,
    English otherwise ("pt" for pt-BR)."""
    code = known_locale(locale)
    if code in SOURCE_LOCALES or not po_path(MESSAGES_DOMAIN, code).exists():
        return "en"
    return babel_locale(code).language


def tr(locale: object, message: str, /, **params: object) -> str:
    """`message` in `locale`'s language, its `{placeholders}` filled from `params`."""
    text = _translations(known_locale(locale)).gettext(message)
    return _filled(text, message, params)


def ntr(locale: object, singular: str, plural: str, n: int, /, **params: object) -> str:
    """The form of a counted text the locale's plural rule picks; `{n}` is `n` formatted for
    the locale ("1 234" in French)."""
    text = _translations(known_locale(locale)).ngettext(singular, plural, n)
    filled = {"n": number(locale, n), **params}
    return _filled(text, singular if n == 1 else plural, filled)


def number(locale: object, value: float) -> str:
    """`value` with up to three decimals as the locale writes it: "1,234", "1 234", "2,5"."""
    return format_decimal(value, locale=babel_locale(known_locale(locale)))


def decimal(locale: object, value: float, digits: int = 1) -> str:
    """`value` with exactly `digits` decimals: "3.2" in English, "3,2" in French."""
    pattern = "0." + "0" * digits if digits else "0"
    return format_decimal(value, format=pattern, locale=babel_locale(known_locale(locale)))


def day(locale: object, value: date) -> str:
    """A calendar date as the locale writes it in short: "Nov 26, 2026", "26 nov. 2026"."""
    return format_date(value, format="medium", locale=babel_locale(known_locale(locale)))


def moment(locale: object, value: datetime) -> str:
    """A date and time as the locale writes it, in `value`'s own timezone."""
    return format_datetime(
        value, format="medium", tzinfo=value.tzinfo, locale=babel_locale(known_locale(locale))
    )
