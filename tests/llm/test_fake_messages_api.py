"""The fake speaks the wire format: the real SDK parses its replies and raises its errors."""

from __future__ import annotations

import json

import anthropic
import pytest

from bot.llm.schemas import TURN_SCHEMA
from emulator.fake_messages_api import (
    THINKING_TOKENS,
    FakeMessagesAPI,
    Overloaded,
    RateLimited,
    Refusal,
    TextReply,
    arbitrary_instance,
    instance_for_schema,
    rubric_names,
)


async def test_plain_message_parses_with_the_sdk(
    fake: FakeMessagesAPI, client: anthropic.AsyncAnthropic
) -> None:
    fake.enqueue(TextReply("hello"))
    message = await client.messages.create(
        model="claude-haiku-5-5", max_tokens=4000, messages=[{"role": "user", "content": "hi"}]
    )
    assert message.type == "message" and message.role == "assistant"
    thinking, text = message.content
    assert thinking.type == "thinking" and thinking.signature
    assert text.type == "text" and text.text == "hello"
    assert message.stop_reason == "end_turn"
    assert message.usage.output_tokens == THINKING_TOKENS["medium"] + 2
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


@pytest.mark.parametrize(("effort", "max_tokens"), [("low", 500), ("medium", 2000), ("high", 5000)])
async def test_thinking_at_the_requested_effort_runs_out_of_max_tokens(
    fake: FakeMessagesAPI, client: anthropic.AsyncAnthropic, effort: str, max_tokens: int
) -> None:
    message = await client.messages.create(
        model="m",
        max_tokens=max_tokens,
        messages=[{"role": "user", "content": "hi"}],
        output_config={"effort": effort, "format": {"type": "json_schema", "schema": TURN_SCHEMA}},
    )
    assert message.stop_reason == "max_tokens"
    assert [block.type for block in message.content] == ["thinking"]
    assert message.usage.output_tokens == max_tokens
    roomy = await client.messages.create(
        model="m",
        max_tokens=THINKING_TOKENS[effort] + 500,
        messages=[{"role": "user", "content": "hi"}],
        output_config={"effort": effort, "format": {"type": "json_schema", "schema": TURN_SCHEMA}},
    )
    assert roomy.stop_reason == "end_turn"


async def test_arbitrary_mode_answers_with_instances_of_the_schema() -> None:
    import jsonschema

    async with FakeMessagesAPI(arbitrary=True) as api:
        sdk = anthropic.AsyncAnthropic(api_key="k", base_url=api.base_url)
        texts = set()
        for _ in range(8):
            message = await sdk.messages.create(
                model="m",
                max_tokens=4000,
                messages=[{"role": "user", "content": "hi"}],
                output_config={"format": {"type": "json_schema", "schema": TURN_SCHEMA}},
            )
            text = "".join(b.text for b in message.content if b.type == "text")
            jsonschema.validate(json.loads(text), TURN_SCHEMA)
            texts.add(text)
        await sdk.close()
    assert len(texts) > 1  # arbitrary, not one canned reply


def test_arbitrary_instances_are_instances() -> None:
    import jsonschema

    for _ in range(30):
        jsonschema.validate(arbitrary_instance(TURN_SCHEMA), TURN_SCHEMA)
