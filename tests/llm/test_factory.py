"""Claude with a key, the offline grader without."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.llm import make_grader
from bot.llm.claude import ClaudeGrader
from bot.llm.offline import OfflineGrader


@pytest.mark.parametrize("key", [None, "", "   "])
async def test_no_key_means_offline(key: str | None) -> None:
    grader = make_grader(key, None, "claude-haiku-5-5")
    assert isinstance(grader, OfflineGrader)
    assert grader.approximate
    await grader.aclose()


async def test_a_key_means_claude_with_the_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    grader = make_grader("sk-test", "http://127.0.0.1:9", "claude-haiku-5-5")
    assert isinstance(grader, ClaudeGrader)
    assert grader.name == "claude" and not grader.approximate
    assert grader.model == "claude-haiku-5-5"
    assert str(grader._client.base_url).startswith("http://127.0.0.1:9")
    assert grader._client.max_retries == 0  # retries are the grader's, capped
    assert grader.deadline_s < 15 * 60
    await grader.aclose()
    await grader.aclose()  # twice is fine


START_PATH = """
import importlib, sys
import bot.__main__, bot.app
from bot.llm import make_grader
for module in bot.app.COG_MODULES:
    importlib.import_module(module)
make_grader(None, None, "claude-haiku-5-5")
print("without a key:", "anthropic" in sys.modules)
make_grader("sk-test", "http://127.0.0.1:9", "claude-haiku-5-5")
print("with a key:", "anthropic" in sys.modules)
"""


def test_the_sdk_is_imported_only_when_a_key_is_configured() -> None:
    """`anthropic` costs about 50 MB of resident memory and most of a second at start."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-c", START_PATH], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["without a key: False", "with a key: True"]
