"""Compare modes: exact, unordered (top-level order free), float (close enough)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.runner.compare import matches

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=10,
)


@given(json_values)
def test_a_value_matches_itself_in_every_mode(value: Any) -> None:
    assert all(matches(mode, value, value) for mode in ("exact", "unordered", "float"))


@given(st.lists(json_values, min_size=2, max_size=6, unique_by=repr), st.randoms())
def test_unordered_ignores_the_order_but_not_the_items(items: list[Any], rng: Any) -> None:
    shuffled = items[:]
    rng.shuffle(shuffled)
    assert matches("unordered", shuffled, items)
    assert not matches("unordered", shuffled[1:], items)
    assert not matches("unordered", [*shuffled, items[0]], items)


@given(st.floats(min_value=-1e6, max_value=1e6))
def test_float_accepts_rounding_noise_and_refuses_real_differences(x: float) -> None:
    assert matches("float", [x * (1 + 1e-9)], [x])
    assert not matches("float", [x + max(1.0, abs(x)) * 1e-3], [x])


def test_whole_floats_equal_ints_but_booleans_are_not_numbers() -> None:
    assert matches("exact", [3600.0, 2], [3600, 2.0])
    assert not matches("exact", [True], [1])
    assert not matches("exact", [1, 2], [2, 1])
