"""Claude with a key, the offline grader without."""

from __future__ import annotations

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
