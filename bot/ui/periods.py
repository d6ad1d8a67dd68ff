"""A board's period in a member's words ("this week", "week of 23 Nov 2026", "October 2026"),
for the bot's embeds and the web companion (no discord.py here)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton

from bot.i18n.locales import babel_locale
from bot.i18n.messages import N_, day, known_locale, tr
from bot.services.leaderboard import BoardPage

# The service's labels for the current periods (bot.domain.progress.period_label).
_CURRENT = {
    "this week": N_("this week"),
    "this month": N_("this month"),
    "all time": N_("all time"),
}


def period_text(board: BoardPage, locale: object) -> str:
    """'this week', 'week of 23 Nov 2026', 'October 2026' in `locale`'s words."""
    if board.label in _CURRENT:
        return tr(locale, _CURRENT[board.label])
    if board.key.startswith("w"):
        return tr(locale, "week of {date}", date=day(locale, date.fromisoformat(board.key[1:])))
    first = date.fromisoformat(f"{board.key[1:]}-01")
    return format_skeleton("yMMMM", first, locale=babel_locale(known_locale(locale)))
