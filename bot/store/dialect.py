"""The store's SQL, as written for both engines, in PostgreSQL's form.

The repositories use `?` (in order) or `?N` (numbered) placeholders; PostgreSQL wants `$N`. Text
inside quotes and comments is left alone, so a literal '?' stays a question mark.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A quoted string, a quoted name, a comment, or a placeholder.
_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|\?(\d*)""", re.DOTALL)


class MixedPlaceholders(ValueError):
    """`?` and `?N` in one statement: which parameter is which would be a guess."""


@lru_cache(maxsize=4096)
def to_postgres(sql: str) -> str:
    counter = 0
    styles: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        nonlocal counter
        if not match.group(0).startswith("?"):
            return match.group(0)
        number = match.group(1)
        styles.add("numbered" if number else "ordered")
        if number:
            return f"${int(number)}"
        counter += 1
        return f"${counter}"

    translated = _TOKEN.sub(replace, sql)
    if len(styles) > 1:
        raise MixedPlaceholders(f"both ? and ?N placeholders in: {sql[:200]}")
    return translated
