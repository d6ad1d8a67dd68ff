"""Tests files: every shipped one parses; a bad one is refused with what to fix."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from bot.runner.spec import TestsFileError, all_tests_files, load_spec, parse_spec

GOOD: dict[str, Any] = {
    "question": "q",
    "function": {"python": "solve", "javascript": "solve"},
    "signature": "def solve(x: int) -> int",
    "compare": "exact",
    "time_limit_ms": 500,
    "cases": [{"name": f"c{i}", "hidden": i >= 3, "args": [i], "expected": i} for i in range(11)],
    "reference": {
        "python": "def solve(x):\n    return x\n",
        "javascript": "function solve(x) { return x; }",
    },
}


@pytest.mark.parametrize("path", all_tests_files(), ids=lambda p: p.stem)
def test_every_shipped_tests_file_parses(path: Path) -> None:
    spec = load_spec(path)
    assert spec.question == path.stem
    assert set(spec.languages) == {"python", "javascript"}


def test_a_good_spec_parses() -> None:
    spec = parse_spec(GOOD)
    assert [case.hidden for case in spec.cases].count(False) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["cases"].pop(0), "at least 3 visible"),
        (lambda s: s["cases"].pop(), "8 hidden"),
        (lambda s: s.update(compare="fuzzy"), "compare must be"),
        (lambda s: s.update(time_limit_ms=0), "time_limit_ms"),
        (lambda s: s["reference"].pop("javascript"), "no reference solution for javascript"),
        (lambda s: s["function"].update(cobol="x"), "unknown language cobol"),
        (lambda s: s["cases"][1].update(name="c0"), "unique"),
        (lambda s: s["cases"][0].update(args=5), "args must be a list"),
        (lambda s: s["cases"][0].pop("expected"), "case 1 needs"),
        (lambda s: s.update(time_limit_ms_by_language={"ruby": 100}), "ruby is not a language"),
        (lambda s: s.update(time_limit_ms_by_language={"javascript": 0}), "each limit"),
        (lambda s: s.update(time_limit_ms_by_language=[100]), "must map a language"),
    ],
)
def test_a_bad_spec_is_refused_with_the_reason(change: Any, message: str) -> None:
    spec = copy.deepcopy(GOOD)
    change(spec)
    with pytest.raises(TestsFileError, match=message):
        parse_spec(spec)


def test_a_language_limit_applies_to_that_language_only() -> None:
    spec = parse_spec({**GOOD, "time_limit_ms_by_language": {"javascript": 120}})
    assert spec.for_language("javascript").time_limit_ms == 120
    assert spec.for_language("python").time_limit_ms == 500
    assert parse_spec(GOOD).for_language("javascript").time_limit_ms == 500
