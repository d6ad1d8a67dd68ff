"""Counted nouns follow the catalog's plural rule (English without a catalog)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.ui.plural import counted, points


@given(st.integers(min_value=-1000, max_value=10**9))
def test_only_one_is_singular(n: int) -> None:
    expected = "answer" if n == 1 else "answers"
    assert counted(n, "answer", "answers") == f"{n} {expected}"
    assert points(n) == f"{n} {'pt' if n == 1 else 'pts'}"
