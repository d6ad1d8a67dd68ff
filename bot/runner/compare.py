"""Does a solution's result match the expected one, under the question's compare mode?"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

from bot.runner.spec import Compare

REL_TOLERANCE = 1e-6
ABS_TOLERANCE = 1e-6


def matches(mode: Compare, got: Any, expected: Any) -> bool:
    if mode == "unordered":
        if not isinstance(got, list) or not isinstance(expected, list):
            return _exact(got, expected)
        return Counter(map(_canonical, got)) == Counter(map(_canonical, expected))
    if mode == "float":
        return _close(got, expected)
    return _exact(got, expected)


def _exact(got: Any, expected: Any) -> bool:
    # Booleans are not numbers here: True must not pass for 1.
    return _canonical(got) == _canonical(expected)


def _canonical(value: Any) -> str:
    return json.dumps(_numbers_as_one_kind(value), sort_keys=True, separators=(",", ":"))


def _numbers_as_one_kind(value: Any) -> Any:
    """2.0 and 2 are the same answer: JavaScript has no integers, and Python's / gives floats."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_numbers_as_one_kind(item) for item in value]
    if isinstance(value, dict):
        return {key: _numbers_as_one_kind(item) for key, item in value.items()}
    return value


def _close(got: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(got, bool):
        return got is expected
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return math.isclose(got, expected, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)
    if isinstance(expected, list) and isinstance(got, list):
        return len(got) == len(expected) and all(map(_close, got, expected))
    if isinstance(expected, dict) and isinstance(got, dict):
        return got.keys() == expected.keys() and all(_close(got[k], expected[k]) for k in got)
    return bool(got == expected)
