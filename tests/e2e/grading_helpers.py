"""The real bot grading with ClaudeGrader through the real anthropic SDK and the fake API."""

from __future__ import annotations

from typing import Any

import anthropic

from bot.llm.claude import ClaudeGrader
from emulator import Message
from emulator.fake_messages_api import FakeMessagesAPI
from tests.conftest import App
from tests.e2e.daily_helpers import at, daily_posts, fire, setup_daily

MODEL = "claude-haiku-5-5"


def claude_grader(fake: FakeMessagesAPI, **options: Any) -> ClaudeGrader:
    """Claude through the real SDK at the fake API, with test-sized timeouts and backoff."""
    settings: dict[str, Any] = {"timeout_s": 1.0, "max_retries": 1, "backoff_base_s": 0.01}
    settings.update(options)
    client = anthropic.AsyncAnthropic(api_key="test-key", base_url=fake.base_url)
    return ClaudeGrader(client, MODEL, **settings)  # the bot closes it when it stops


async def posted_question(app: App) -> Message:
    """Set up the daily question and post today's (08:00 UTC = 09:00 Berlin)."""
    await setup_daily(app)
    app.clock.set(at(2026, 11, 26, 8, 0))
    await fire(app)
    return daily_posts(app)[0]


async def rows(app: App, sql: str, *params: Any) -> list[dict[str, Any]]:
    store = app.running.services.store
    return [dict(row) for row in await store.db.fetchall(sql, params)]
