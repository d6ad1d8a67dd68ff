"""`pip install .` (not only `-e .`) gives a working bot: the wheel carries the migrations and the
packs, and not the emulator or the tests. Built and installed offline: the wheel is built without
build isolation, and the fresh venv borrows this venv's installed dependencies through a .pth
file, so only the bot itself comes from the wheel."""

from __future__ import annotations

import os
import shutil
import site
import sqlite3
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = (
    "bot",
    "emulator",
    "tests",
    "benchmarks",
    "docs",
    "pyproject.toml",
    "README.md",
    "LICENSE",
)


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


def _copy_checkout(into: Path) -> Path:
    """The sources in a scratch folder, so the build leaves nothing behind in the checkout."""
    source = into / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    return source


def _build_wheel(tmp_path: Path) -> Path:
    source = _copy_checkout(tmp_path)
    dist = tmp_path / "dist"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--wheel-dir",
        dist,
        source,
        cwd=tmp_path,
    )
    [wheel] = dist.glob("interview_prep_bot-*.whl")
    return wheel


def _fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    [own] = (target / "lib").glob("python3.*/site-packages")
    # The dependencies, from this venv: appended after the fresh venv's own site-packages.
    (own / "borrowed-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


def test_the_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"bot", wheel.name.split("-")[0] + "-0.1.0.dist-info"}, tops
    migrations = [n for n in names if n.startswith("bot/store/migrations/sqlite/")]
    packs = [n for n in names if n.startswith("bot/content/packs/") and n.endswith(".yaml")]
    assert len(migrations) == len(list((REPO / "bot/store/migrations/sqlite").glob("*.sql")))
    assert packs and "bot/py.typed" in names and "bot/llm/evalset.yaml" in names
    print(
        f"wheel {wheel.name}: {len(names)} files: {sum(n.endswith('.py') for n in names)} "
        f"modules, {len(migrations)} migrations, {len(packs)} pack files; top level {sorted(tops)}"
    )

    python = _fresh_venv(tmp_path, wheel)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "BOT_", "ANTHROPIC_", "PYTHON"))
    }
    env["BOT_DATABASE_PATH"] = str(outside / "fresh.db")
    where = _run(python, "-c", "import bot; print(bot.__file__)", cwd=outside, env=env)
    assert where.startswith(str(tmp_path / "venv")), where
    missing = subprocess.run(
        [python, "-c", "import emulator"], cwd=outside, env=env, capture_output=True, text=True
    )
    assert missing.returncode != 0 and "No module named 'emulator'" in missing.stderr

    migrated = _run(python, "-m", "bot", "migrate", cwd=outside, env=env)
    assert "schema version" in migrated, migrated
    conn = sqlite3.connect(outside / "fresh.db")
    try:
        [version] = conn.execute("PRAGMA user_version").fetchone()
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    finally:
        conn.close()
    assert version == len(migrations)
    assert {"answers", "daily_posts", "grades"} <= tables, tables

    checked = _run(python, "-m", "bot", "content", "check", "--no-code", cwd=outside, env=env)
    assert checked.startswith("ok: ") and int(checked.split()[1]) > 100, checked
