"""`python -m bot demo` as a new user runs it: no token, no key, no network."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_demo_prints_a_readable_transcript(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ANTHROPIC_", "BOT_"))
    }
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        "used /daily setup",
        "bot → #daily-question: [embed] Daily question",
        "ana submitted modal",
        "Overall: ",
        "Approximate",
        "Leaderboard",
        "pts",
        "Reveal",
    ):
        assert expected in out, f"missing {expected!r} in transcript"
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # the demo keeps its database in a temp folder
