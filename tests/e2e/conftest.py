"""Fixtures the end-to-end tests share: the fake Messages API, and the bot grading through it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from emulator.fake_messages_api import FakeMessagesAPI
from tests.conftest import App
from tests.e2e.grading_helpers import claude_grader


@pytest.fixture
async def fake() -> AsyncIterator[FakeMessagesAPI]:
    async with FakeMessagesAPI() as api:
        yield api


@pytest.fixture
async def claude(app: App, fake: FakeMessagesAPI) -> App:
    """The bot started with Claude (the real SDK) at the fake Messages API."""
    app.grader = claude_grader(fake)
    await app.start()
    return app
