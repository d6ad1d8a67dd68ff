"""Leaderboard points as a member reads them: "1 pt", "12 pts", "1 234 pts" in French, "12 pt"
in Japanese. The plural rule and the number's digits are the locale's (gettext and Babel)."""

from __future__ import annotations

from bot.i18n.messages import ntr


def points(n: int, locale: object = None) -> str:
    return ntr(locale, "{n} pt", "{n} pts", n)
