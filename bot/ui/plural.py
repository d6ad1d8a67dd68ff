"""Counted nouns ("1 answer", "2 answers", "1 pt") through gettext's plural rules.

Every count the bot shows goes through `counted`, so a message catalog (one per language, added
later) can give each language its own plural forms; without a catalog gettext falls back to the
English singular/plural pair given here.
"""

from __future__ import annotations

import gettext

# No catalog ships yet: NullTranslations applies English's rule (1 → singular, else plural).
_translations = gettext.NullTranslations()


def counted(n: int, singular: str, plural: str) -> str:
    """`n` with the noun form the catalog's plural rule picks: "1 answer", "3 answers"."""
    return f"{n} {_translations.ngettext(singular, plural, n)}"


def points(n: int) -> str:
    """A number of leaderboard points: "1 pt", "12 pts"."""
    return counted(n, "pt", "pts")
