"""The fake speaks the wire format: the real SDK parses its replies and raises its errors."""

from __future__ import annotations

import anthropic
import pytest

from emulator.fake_messages_api import (
    FakeMessagesAPI,
    Overloaded,
    RateLimited,
    Refusal,
    TextReply,
    instance_for_schema,
    rubric_names,
)


async def test_plain_message_parses_with_the_sdk(
    fake: FakeMessagesAPI, client: anthropic.AsyncAnthropic
) -> None:
    fake.enqueue(TextReply("hello"))
    message = await client.messages.create(
        model="claude-haiku-5-5", max_tokens=10, messages=[{"role": "user", "content": "hi"}]
    )
    assert message.type == "message" and message.role == "assistant"
    assert message.content[0].type == "text" and message.content[0].text == "hello"
    assert message.stop_reason == "end_turn"
    assert message.usage.input_tokens > 0
    assert message.usage.cache_read_input_tokens == 0
    assert message._request_id is not None and message._request_id.startswith("req_fake_")


async def test_refusal_carries_stop_details(
    fake: FakeMessagesAPI, client: anthropic.AsyncAnthropic
) -> None:
    fake.enqueue(Refusal(category="cyber"))
    message = await client.messages.create(
        model="m", max_tokens=10, messages=[{"role": "user", "content": "hi"}]
    )
    assert message.stop_reason == "refusal"
    assert message.stop_details is not None and message.stop_details.category == "cyber"


async def test_errors_map_to_the_sdk_classes(
    fake: FakeMessagesAPI, client: anthropic.AsyncAnthropic
) -> None:
    sdk = client.with_options(max_retries=0)
    fake.enqueue(Overloaded(), RateLimited(7))
    with pytest.raises(anthropic.OverloadedError):
        await sdk.messages.create(model="m", max_tokens=1, messages=[])
    with pytest.raises(anthropic.RateLimitError) as caught:
        await sdk.messages.create(model="m", max_tokens=1, messages=[])
    assert caught.value.response.headers["retry-after"] == "7"
    assert caught.value.type == "rate_limit_error"


async def test_missing_credentials_are_rejected(fake: FakeMessagesAPI) -> None:
    sdk = anthropic.AsyncAnthropic(api_key="k", base_url=fake.base_url, max_retries=0)
    with pytest.raises(anthropic.AuthenticationError):
        await sdk.messages.create(
            model="m",
            max_tokens=1,
            messages=[],
            extra_headers={"Authorization": anthropic.omit},
        )
    await sdk.close()


async def test_count_tokens(fake: FakeMessagesAPI, client: anthropic.AsyncAnthropic) -> None:
    counted = await client.messages.count_tokens(
        model="m", system="x" * 400, messages=[{"role": "user", "content": "y" * 40}]
    )
    assert counted.input_tokens == 110


def test_rubric_names_unescape_attributes() -> None:
    assert rubric_names('<criterion name="Cycles &amp; duplicates" weight="2">') == [
        "Cycles & duplicates"
    ]


def test_instance_for_schema_follows_refs_and_nullables() -> None:
    schema = {
        "$defs": {"Inner": {"type": "object", "properties": {"n": {"type": "integer"}}}},
        "type": "object",
        "properties": {
            "inner": {"$ref": "#/$defs/Inner"},
            "maybe": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "kind": {"enum": ["a", "b"]},
            "items": {"type": "array", "items": {"type": "boolean"}},
        },
    }
    assert instance_for_schema(schema, schema, {}) == {
        "inner": {"n": 0},
        "maybe": "Fake maybe.",
        "kind": "a",
        "items": [False],
    }
