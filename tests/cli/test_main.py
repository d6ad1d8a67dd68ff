"""The command line as an operator meets it: clear one-line errors, never a traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_bot(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "BOT_", "ANTHROPIC_"))
    }
    clean["PYTHONPATH"] = str(REPO)
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


def test_run_without_token_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_bot(cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DISCORD_TOKEN" in lines[0] and ".env" in lines[0]
    assert "Traceback" not in result.stderr


def test_invalid_setting_exits_2_naming_it(tmp_path: Path) -> None:
    result = run_bot("run", cwd=tmp_path, env={"DISCORD_TOKEN": "x", "BOT_LOG_LEVEL": "LOUD"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BOT_LOG_LEVEL" in lines[0] and ".env" in lines[0]


def test_settings_come_from_dotenv_and_secrets_stay_hidden(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BOT_LOG_LEVEL=LOUD\nDISCORD_TOKEN=super-secret-token\n")
    result = run_bot("migrate", cwd=tmp_path)
    assert result.returncode == 2 and "BOT_LOG_LEVEL" in result.stderr
    assert "super-secret-token" not in result.stderr + result.stdout


def test_migrate_creates_the_database_and_is_idempotent(tmp_path: Path) -> None:
    env = {"BOT_DATABASE_PATH": str(tmp_path / "deep" / "bot.db")}
    first = run_bot("migrate", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "applied [1" in first.stdout
    second = run_bot("migrate", cwd=tmp_path, env=env)
    assert second.returncode == 0 and "applied []" in second.stdout


def test_content_check_and_export(tmp_path: Path) -> None:
    check = run_bot("content", "check", "--no-code", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    exported = run_bot("content", "export", "--format", "json", cwd=tmp_path)
    rows = json.loads(exported.stdout)
    assert len(rows) > 0
    required = {
        "id",
        "pack",
        "round",
        "title",
        "prompt",
        "difficulty",
        "tags",
        "rubric",
        "hints",
        "follow_ups",
    }
    assert all(required <= set(row) for row in rows)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_grade_prints_a_result(tmp_path: Path, fmt: str) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(
        "I would run a BFS from s, level by level, with a visited set marked on enqueue so "
        "cycles do not loop. Stop after k levels. O(n + e) time with an adjacency list. "
        "Edge cases: k = 0 returns 0, self-loop ignored."
    )
    result = run_bot(
        "grade",
        "--question",
        "pin-coding-board-reach",
        "--file",
        str(answer),
        "--format",
        fmt,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["grader"] == "offline" and data["max"] == 5
        assert 0 < data["overall"] <= 5
        assert {"name", "score", "max"} <= set(data["criteria"][0])
    else:
        assert "/5" in result.stdout and "pprox" in result.stdout


def test_grade_unknown_question(tmp_path: Path) -> None:
    result = run_bot("grade", "--question", "nope", cwd=tmp_path, stdin="answer")
    assert result.returncode == 2 and "unknown question id: nope" in result.stderr
