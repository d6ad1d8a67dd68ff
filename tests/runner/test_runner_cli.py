"""`python -m bot judge` and code execution being off where the sandbox cannot run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.doctor import check_code_runner
from bot.runner import toolchains
from bot.runner.pool import CodeRunner, ExecutionOff
from bot.runner.spec import load_spec, path_of_tests
from bot.runner.toolchains import Discovery, discover

QUESTION = "pin-coding-rotate-pin-image"
ROOT = Path(__file__).resolve().parents[2]


def _judge(tmp_path: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "solution"
    source.write_text(code)
    command = ["judge", "--question", QUESTION, "--file", str(source), *args]
    return subprocess.run(
        [sys.executable, "-m", "bot", *command],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip


def test_judge_prints_json_with_every_case(sandbox: Discovery, tmp_path: Path) -> None:
    spec = yaml.safe_load(path_of_tests(QUESTION).read_text("utf-8"))
    done = _judge(tmp_path, spec["reference"]["javascript"], "--language", "javascript",
                  "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["verdict"], report["passed"]) == ("passed", report["total"])
    assert {case["status"] for case in report["cases"]} == {"passed"}
    for case in report["cases"]:
        assert {"name", "status", "time_ms", "hidden"} <= case.keys()
        assert isinstance(case["time_ms"], float) and isinstance(case["hidden"], bool)
    hidden = [case for case in report["cases"] if case["hidden"]]
    assert hidden and all("expected" not in case and "got" not in case for case in hidden)


def test_judge_shows_the_failing_visible_case(sandbox: Discovery, tmp_path: Path) -> None:
    function = yaml.safe_load(path_of_tests(QUESTION).read_text("utf-8"))["function"]["python"]
    done = _judge(tmp_path, f"def {function}(*args):\n    return 'nope'\n")
    assert done.returncode == 1
    assert "Some tests fail" in done.stdout and 'got "nope"' in done.stdout


def test_a_syntax_error_is_shown_with_its_line(sandbox: Discovery, tmp_path: Path) -> None:
    done = _judge(tmp_path, "def broken(:\n")
    assert done.returncode == 1
    assert "did not load" in done.stdout and "line 1" in done.stdout


async def test_without_bubblewrap_nothing_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toolchains, "find_bwrap", lambda: None)
    found = await discover()
    assert not found.enabled and "bubblewrap is not installed" in found.problems["sandbox"]
    runner = CodeRunner(found)
    assert runner.languages == ()
    with pytest.raises(ExecutionOff, match="bubblewrap is not installed"):
        await runner.run(load_spec(path_of_tests(QUESTION)), "python", "print('hi')")


async def test_a_bubblewrap_that_cannot_sandbox_turns_execution_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(toolchains, "find_bwrap", lambda: "/usr/bin/false")
    found = await discover()
    assert not found.enabled
    assert "cannot create a sandbox" in found.problems["sandbox"]


async def test_doctor_says_code_execution_is_off_without_bubblewrap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(toolchains, "find_bwrap", lambda: None)
    [check] = await check_code_runner()
    assert not check.ok and check.name == "sandbox"
    assert "apt-get install bubblewrap" in check.detail and "Run tests" in check.detail
