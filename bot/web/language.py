"""The language of a page: a logged-in member's Discord locale (from /users/@me at login), else
the best match of the browser's Accept-Language among Discord's locales, else English."""

from __future__ import annotations

from aiohttp import web
from babel.core import negotiate_locale

from bot.i18n.locales import DISCORD_LOCALES
from bot.i18n.messages import SOURCE_LOCALE, known_locale
from bot.web.keys import SESSION

# The browser's tags (lower case) that name a Discord locale: each code itself, a language
# alone for its only (or main) Discord locale, and the usual regional spellings.
_LATIN_AMERICA = ("mx", "ar", "co", "cl", "pe", "ve", "ec", "gt", "cu", "bo", "do", "hn", "py")
_ACCEPTED: dict[str, str] = {
    **{code.lower(): code for code in DISCORD_LOCALES},
    **{code.split("-")[0].lower(): code for code in reversed(DISCORD_LOCALES)},
    "en": "en-US",
    "es": "es-ES",
    "pt": "pt-BR",
    "zh": "zh-CN",
    "zh-hans": "zh-CN",
    "zh-sg": "zh-CN",
    "zh-hant": "zh-TW",
    "zh-hk": "zh-TW",
    "zh-mo": "zh-TW",
    **{f"zh-hant-{region}": "zh-TW" for region in ("tw", "hk", "mo")},
    "nb": "no",
    "nn": "no",
    "nb-no": "no",
    "nn-no": "no",
    "no-no": "no",
    "sv": "sv-SE",
    **{f"es-{region}": "es-419" for region in (*_LATIN_AMERICA, "us")},
}
# A header longer than this is read only this far.
_MAX_TAGS = 32


def preferred(header: str) -> list[str]:
    """The language tags of an Accept-Language header, most wanted first (q=0 and `*` left out;
    equal weights keep the header's order)."""
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")[:_MAX_TAGS]):
        tag, _, rest = item.strip().partition(";")
        tag = tag.strip()
        quality = 1.0
        for param in rest.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and 0 < quality <= 1:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def negotiated(header: str | None) -> str:
    """The Discord locale that best matches an Accept-Language header; English otherwise."""
    if not header:
        return SOURCE_LOCALE
    match = negotiate_locale(preferred(header), list(_ACCEPTED), sep="-", aliases={})
    return _ACCEPTED.get(match.lower(), SOURCE_LOCALE) if match else SOURCE_LOCALE


def request_locale(request: web.Request) -> str:
    """The Discord locale a page is written in for this request."""
    session = request.get(SESSION)
    if session is not None:
        return known_locale(session.locale)
    return negotiated(request.headers.get("Accept-Language"))
