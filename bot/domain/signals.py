"""Matching a rubric signal (a word or short phrase) in text, the same way everywhere."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=4096)
def signal_pattern(signal: str) -> re.Pattern[str]:
    """A case-insensitive pattern for one signal with word boundaries that suit its characters.

    `\\b` fails on signals such as `o(n + e)` or `k = 0`, so boundaries are only asserted next to
    word characters; spacing around punctuation is optional, hyphens may be spaces, and a final
    letter may take a plural ending ("cycle" matches "cycles").
    """
    text = " ".join(signal.casefold().split())
    parts: list[str] = []
    for i, ch in enumerate(text):
        if ch == " ":
            before, after = text[i - 1], text[i + 1]
            parts.append(r"\s+" if before.isalnum() and after.isalnum() else r"\s*")
        elif ch == "-":
            parts.append(r"[-\s]?")
        else:
            parts.append(re.escape(ch))
    prefix = r"(?<!\w)" if text[0].isalnum() else ""
    if text[-1].isalpha():
        suffix = r"(?:e?s)?(?!\w)"
    elif text[-1].isalnum():
        suffix = r"(?!\w)"
    else:
        suffix = ""
    return re.compile(prefix + "".join(parts) + suffix, re.IGNORECASE)


def signals_in(signals: Iterable[str], text: str) -> list[str]:
    """The distinct signals that occur in the text, in the order given."""
    seen: list[str] = []
    for signal in signals:
        if signal not in seen and signal_pattern(signal).search(text):
            seen.append(signal)
    return seen


def signal_target(signal_count: int) -> int:
    """How many of a criterion's signals an answer needs to cover the criterion fully."""
    return min(5, max(2, math.floor(signal_count * 0.5 + 0.5)))
