"""The code half of `content check`: a wrong test or a fast naive solution is reported."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.runner.content_check import check_all, totals_line
from bot.runner.pool import CodeRunner
from bot.runner.spec import path_of_tests
from bot.runner.toolchains import Discovery

QUESTION = "pin-coding-split-backfill-shards"  # small file, with a naive solution


def _copy(tmp_path: Path, name: str, edit: dict[str, object]) -> Path:
    raw = yaml.safe_load(path_of_tests(QUESTION).read_text("utf-8"))
    raw.update(edit)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


async def test_a_good_question_passes_and_errors_are_named(
    sandbox: Discovery, tmp_path: Path
) -> None:
    raw = yaml.safe_load(path_of_tests(QUESTION).read_text("utf-8"))
    wrong_case = dict(raw["cases"][0], expected=-1)
    good = path_of_tests(QUESTION)
    wrong = _copy(tmp_path, "wrong", {"cases": [wrong_case, *raw["cases"][1:]]})
    fast_naive = _copy(tmp_path, "fast", {"naive": {"python": raw["reference"]["python"]}})
    broken = _copy(tmp_path, "broken", {"cases": raw["cases"][:2]})
    checks = await check_all(CodeRunner(sandbox, slots=2), [good, wrong, fast_naive, broken])
    lines = [check.line() for check in checks]
    assert [check.ok for check in checks] == [True, False, False, False], lines
    assert "naive python: too slow on" in lines[0]
    assert f"python reference: failed on {wrong_case['name']}" in lines[1]
    assert "javascript reference: failed on" in lines[1]
    assert "naive python is not too slow: passed" in lines[2]
    assert "at least 3 visible" in lines[3]
    assert totals_line(checks).startswith("code: 4 questions with tests")


def _identity_spec(tmp_path: Path, name: str, edit: dict[str, object]) -> Path:
    spin = "let s = 0; for (let i = 0; i < 1e8; i++) s += i % 7; if (s < 0) return -1;"
    raw: dict[str, object] = {
        "question": name,
        "function": {"python": "solve", "javascript": "solve"},
        "signature": "def solve(x: int) -> int",
        "compare": "exact",
        "time_limit_ms": 1000,
        "cases": [
            {"name": f"c{i}", "hidden": i >= 3, "args": [i], "expected": i} for i in range(11)
        ],
        "reference": {
            "python": "def solve(x):\n    return x\n",
            "javascript": "function solve(x) { return x; }",
        },
        # ~100 ms of CPU on the last case: inside a limit made for Python, outside a JavaScript one.
        "naive": {"javascript": f"function solve(x) {{ if (x === 10) {{ {spin} }} return x; }}"},
        **edit,
    }
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


async def test_a_language_limit_makes_a_slow_javascript_solution_fail(
    sandbox: Discovery, tmp_path: Path
) -> None:
    shared = _identity_spec(tmp_path, "shared", {})
    own = _identity_spec(tmp_path, "own", {"time_limit_ms_by_language": {"javascript": 20}})
    checks = await check_all(CodeRunner(sandbox, slots=2), [shared, own])
    lines = [check.line() for check in checks]
    assert [check.ok for check in checks] == [False, True], lines
    assert "naive javascript is not too slow: passed" in lines[0]
    assert "naive javascript: too slow on “c10”" in lines[1]
    assert "javascript 11/11" in lines[1]


def _spin_naive(cpu_ms: int) -> str:
    """A Python solution that burns `cpu_ms` of CPU time on the last case, whatever the machine."""
    return (
        "import time\n"
        "def solve(x):\n"
        "    if x == 10:\n"
        "        start = time.process_time()\n"
        f"        while time.process_time() - start < {cpu_ms / 1000}:\n"
        "            pass\n"
        "    return x\n"
    )


async def test_a_naive_solution_must_be_well_over_its_limit(
    sandbox: Discovery, tmp_path: Path
) -> None:
    edit = {"time_limit_ms": 60, "function": {"python": "solve"}}
    barely = _identity_spec(tmp_path, "barely", {**edit, "naive": {"python": _spin_naive(70)}})
    clearly = _identity_spec(tmp_path, "clearly", {**edit, "naive": {"python": _spin_naive(200)}})
    checks = await check_all(CodeRunner(sandbox, slots=2), [barely, clearly])
    lines = [check.line() for check in checks]
    assert [check.ok for check in checks] == [False, True], lines
    assert "naive python is not too slow: passed within 1.5x its time limit" in lines[0]
    assert "naive python: too slow on “c10”" in lines[1]
