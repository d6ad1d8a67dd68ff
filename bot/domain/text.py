"""What counts as text a member actually wrote."""

from __future__ import annotations

import unicodedata

# Format (zero-width spaces and joiners, BOM, bidi marks) and control characters show nothing.
_INVISIBLE = frozenset({"Cf", "Cc"})


def is_blank(text: str) -> bool:
    """True when nothing visible was typed: whitespace, zero-width and control characters only.
    `str.strip()` alone keeps an answer of zero-width spaces."""
    return all(c.isspace() or unicodedata.category(c) in _INVISIBLE for c in text)
