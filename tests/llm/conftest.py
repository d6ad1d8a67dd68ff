"""Fixtures: the real anthropic SDK pointed at the local fake Messages API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import anthropic
import pytest

from bot.content.schema import Question
from bot.llm.claude import ClaudeGrader
from bot.llm.evaluation import EvalItem, load_evalset
from emulator.fake_messages_api import FakeMessagesAPI

MODEL = "claude-haiku-5-5"


@pytest.fixture(scope="session")
def evalset() -> list[EvalItem]:
    return load_evalset()


@pytest.fixture(scope="session")
def coding_item(evalset: list[EvalItem]) -> EvalItem:
    return next(i for i in evalset if i.question.id == "pin-coding-board-reach")


@pytest.fixture(scope="session")
def coding_question(coding_item: EvalItem) -> Question:
    return coding_item.question


@pytest.fixture(scope="session")
def behavioral_item(evalset: list[EvalItem]) -> EvalItem:
    return next(i for i in evalset if i.question.round == "behavioral")


@pytest.fixture
async def fake() -> AsyncIterator[FakeMessagesAPI]:
    # A low cache threshold so the caching simulation kicks in for one question's prefix.
    async with FakeMessagesAPI(min_cacheable_tokens=100) as api:
        yield api


@pytest.fixture
async def client(fake: FakeMessagesAPI) -> AsyncIterator[anthropic.AsyncAnthropic]:
    sdk = anthropic.AsyncAnthropic(api_key="test-key", base_url=fake.base_url)
    yield sdk
    await sdk.close()


MakeClaude = Callable[..., ClaudeGrader]


@pytest.fixture
def make_claude(client: anthropic.AsyncAnthropic) -> MakeClaude:
    """A factory for graders with test-sized waits; keyword options override the defaults."""

    def build(**options: Any) -> ClaudeGrader:
        settings: dict[str, Any] = {"backoff_base_s": 0.01, "timeout_s": 5.0, "max_retries": 2}
        settings.update(options)
        return ClaudeGrader(client, MODEL, **settings)

    return build
