"""Feedback that always arrives: the real bot against a Messages API that answers every request
with an arbitrary instance of the schema the bot sent (all structured outputs guarantee), and
thinks out of `max_tokens` at the effort the bot asked for, as the default model does. The daily
answer, a practice answer, a mock scorecard and a peer note each arrive as AI feedback on the
first call: never "delayed", never the offline stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.llm.claude import LIMITS
from emulator import Member, Message
from emulator.fake_messages_api import FakeMessagesAPI
from tests.conftest import App
from tests.e2e.daily_helpers import STRONG_ANSWER, answer
from tests.e2e.grading_helpers import MODEL, claude_grader, posted_question, rows
from tests.e2e.test_mock import TURN_1, TURN_2, end_round, mock_round, respond, start_round
from tests.e2e.test_peer import matched, notes_settled
from tests.progress.test_rank_practice_e2e import practise

pytestmark = pytest.mark.both_databases

NOT_THE_AI = ("delayed", "pproximate", "will follow")


@pytest.fixture
async def fake() -> AsyncIterator[FakeMessagesAPI]:
    async with FakeMessagesAPI(arbitrary=True) as api:
        yield api


def assert_from_the_ai(text: str) -> None:
    assert "/5" in text, text
    assert not any(word in text for word in NOT_THE_AI), text


async def test_daily_and_practice_answers_are_graded_by_the_ai_at_once(
    app: App, fake: FakeMessagesAPI
) -> None:
    app.grader = claude_grader(fake, timeout_s=5.0)
    await app.start()
    post = await posted_question(app)
    submitted = await answer(app, app.world.alice, post, STRONG_ANSWER)
    assert_from_the_ai(submitted.followups[-1].text)
    assert MODEL in submitted.followups[-1].text
    _, practice_feedback = await practise(app, STRONG_ANSWER)
    assert_from_the_ai(practice_feedback.text)
    graded = await rows(app, "SELECT grader FROM grades")
    assert len(graded) == 2 and all(r["grader"] != "offline" for r in graded), graded
    assert len(fake.requests) == 2  # one call each: no valid reply was rejected and retried
    assert all(r.effort for r in fake.requests)


async def test_a_mock_scorecard_is_the_ais_on_the_first_call(
    app: App, fake: FakeMessagesAPI
) -> None:
    app.grader = claude_grader(fake, timeout_s=5.0)
    await app.start()
    _, thread = await start_round(app)
    await respond(app, app.world.alice, thread, TURN_1)
    await respond(app, app.world.alice, thread, TURN_2)
    calls_before_scoring = len(fake.requests)
    reply, card = await end_round(app, app.world.alice, thread)
    assert card is not None, reply
    assert_from_the_ai(card.text)
    mock = await mock_round(app, thread)
    assert mock.status == "closed" and mock.points is not None
    assert len(fake.requests) == calls_before_scoring + 1


async def test_peer_notes_are_the_ais_on_the_first_call(app: App, fake: FakeMessagesAPI) -> None:
    world = app.world
    app.grader = claude_grader(fake, timeout_s=5.0)
    await app.start(bot_message_content=True)
    thread, start = await matched(app, world.alice, world.bob)
    await app.emu.post_message(world.alice, thread, "How would you find the affected boards?")
    await app.emu.post_message(world.bob, thread, "BFS from the start with a visited set.")
    app.clock.advance(timedelta(minutes=20))
    swap = await app.emu.click(world.bob, start, label="Swap roles")
    await app.emu.post_message(world.bob, thread, "What is the complexity of your approach?")
    await app.emu.post_message(world.alice, thread, "O(V + E) time, one pass over the edges.")
    app.clock.advance(timedelta(minutes=20))
    assert swap.original is not None
    await app.emu.click(world.alice, swap.original, label="End session")

    def notes(member: Member) -> list[Message]:
        return [m for m in app.emu.messages(app.emu.dm_channel(member)) if "AI notes" in m.text]

    await app.emu.wait_for(lambda: bool(notes(world.alice) and notes(world.bob)))
    await notes_settled(app)
    for member in (world.alice, world.bob):
        assert_from_the_ai(notes(member)[0].text)
    assert len(fake.requests) == 2
    # Each note is recorded as a peer note of its candidate in this server, at its own effort.
    usage = await rows(app, "SELECT guild_id, user_id, operation FROM llm_usage ORDER BY user_id")
    assert usage == [
        {"guild_id": world.guild.id, "user_id": member.id, "operation": "peer_note"}
        for member in sorted((world.alice, world.bob), key=lambda m: m.id)
    ]
    assert {r.effort for r in fake.requests} == {LIMITS["peer_note"].effort}
