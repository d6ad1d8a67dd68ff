"""The phone-screen format end to end: `/mock start round:coding phone_screen:true` through the
emulator, Claude through the real anthropic SDK against the fake Messages API, a manual clock.
Two coding questions in 60 minutes, the second at the halfway mark, one scorecard with a rubric
section per question, points like any coding mock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.content.schema import Question
from bot.domain.mock import MockRound
from bot.domain.points import mock_round_points
from emulator import Channel
from emulator.fake_messages_api import FakeMessagesAPI, GradeReply, TurnReply
from tests.conftest import App
from tests.e2e.test_mock import (
    answered,
    bot_messages,
    end_round,
    ledger,
    live,  # noqa: F401  (the fixture)
    mention,
    mock_round,
    respond,
)
from tests.spec.checker import assert_requests_match_spec

pytestmark = pytest.mark.both_databases

Q1_ANSWER = "Clarifying first: can the input be empty? Then a hash map in one pass, O(n) time."
Q1_MORE = "Edge cases: duplicates and negatives both work, the map keeps the first index."
Q2_ANSWER = "For this one I would sort first, then sweep with two pointers: O(n log n)."
Q1_FOLLOW_UP = "Good. What does your approach do with duplicate values?"
Q2_FOLLOW_UP = "Why sort first, and could a heap do better here?"


async def start_screen(app: App, **options: object) -> tuple[str, Channel]:
    alice = app.world.alice
    record = await app.emu.slash(
        alice, app.world.practice, "mock start", round="coding", phone_screen=True, **options
    )
    text = await answered(record)
    assert record.ephemeral, text
    threads = [t for t in app.emu.threads(app.world.practice) if alice.id in t.members]
    assert threads, text
    return text, threads[-1]


async def questions_of(app: App, mock: MockRound) -> tuple[Question, Question]:
    catalog = app.running.services.catalog
    first = await catalog.question(mock.guild_id, mock.question_id)
    assert mock.second_question_id is not None
    second = await catalog.question(mock.guild_id, mock.second_question_id)
    assert first is not None and second is not None
    return first, second


async def test_a_phone_screen_asks_two_questions_and_scores_both(
    live: App,  # noqa: F811
    fake: FakeMessagesAPI,
) -> None:
    app, alice = live, live.world.alice
    await app.running.services.mocks.configure(
        app.world.guild.id, idle_minutes=120, daily_limit=None
    )
    text, thread = await start_screen(app)
    assert "phone screen" in text and "60 min" in text and f"<#{thread.id}>" in text
    mock = await mock_round(app, thread)
    assert mock.round == "coding" and mock.time_box_minutes == 60
    first, second = await questions_of(app, mock)
    # A warm-up, then a step up on another question.
    assert (first.difficulty, second.difficulty) == ("easy", "medium")
    assert first.id != second.id and first.round == second.round == "coding"
    opening = bot_messages(app, thread)[0]
    assert "Phone screen · question 1 of 2" in opening.text and first.title in opening.text
    assert "Question 2: clarify and approach (30–" in opening.text

    fake.enqueue(TurnReply(Q1_FOLLOW_UP), TurnReply("And the complexity of the lookups?"))
    reply = await respond(app, alice, thread, Q1_ANSWER)
    assert Q1_FOLLOW_UP in reply.text and "60 min left" in reply.text
    await mention(app, alice, thread, Q1_MORE)
    assert first.prompt[:40] in fake.requests[-1].system_text + fake.requests[-1].user_text

    sweep = app.running.services.mocks.sweep
    app.clock.set(mock.started_at + timedelta(minutes=29))
    assert (await sweep()).second_questions == 0
    app.clock.set(mock.started_at + timedelta(minutes=30))
    assert (await sweep()).second_questions == 1
    asked = bot_messages(app, thread)[-1]
    assert "Phone screen · question 2 of 2" in asked.text and second.title in asked.text
    assert asked.find_button("Respond") is not None
    assert (await sweep()).second_questions == 0  # asked once

    # From now on the interviewer talks about question 2, with its part of the transcript only.
    fake.enqueue(TurnReply(Q2_FOLLOW_UP))
    reply = await respond(app, alice, thread, Q2_ANSWER)
    assert Q2_FOLLOW_UP in reply.text and "30 min left" in reply.text
    turn_request = fake.requests[-1]
    asked_about = turn_request.system_text + turn_request.user_text
    assert second.prompt[:40] in asked_about and Q2_ANSWER in turn_request.user_text
    assert Q1_ANSWER not in turn_request.user_text

    # One scorecard, a grading call and a rubric section per question.
    graded_before = len(fake.requests)
    fake.enqueue(GradeReply(score=4.0), GradeReply(score=2.0))
    reply, card = await end_round(app, alice, thread)
    assert card is not None, reply
    grading = fake.requests[graded_before:]
    assert len(grading) == 2
    assert Q1_ANSWER in grading[0].user_text and Q2_ANSWER not in grading[0].user_text
    assert Q2_ANSWER in grading[1].user_text and Q1_ANSWER not in grading[1].user_text
    embed = card.embeds[0]
    assert "Phone screen" in embed["title"] and "Overall: 3.0/5" in embed["description"]
    sections = {f["name"]: f["value"] for f in embed["fields"]}
    first_section = sections[f"Question 1 · {first.title}"]
    second_section = sections[f"Question 2 · {second.title}"]
    assert "4.0/5" in first_section and "2.0/5" in second_section
    for criterion in first.rubric:
        assert criterion.name in first_section
    for criterion in second.rubric:
        assert criterion.name in second_section

    closed = await mock_round(app, thread)
    expected = mock_round_points(3.0, 5, injection_attempt=False)
    assert closed.status == "closed" and closed.points == expected
    assert f"+{expected}" in reply
    assert await ledger(app, closed) == [expected]
    rows = await app.running.services.store.db.fetchall(
        "SELECT round FROM points WHERE kind = 'mock' AND ref = ?", (str(closed.round_id),)
    )
    assert [row["round"] for row in rows] == ["coding"]  # counted like a coding mock
    assert_requests_match_spec(app.emu.requests)


async def test_ending_before_question_two_scores_it_zero(
    live: App,  # noqa: F811
    fake: FakeMessagesAPI,
) -> None:
    app, alice = live, live.world.alice
    _, thread = await start_screen(app, difficulty="hard")
    mock = await mock_round(app, thread)
    first, second = await questions_of(app, mock)
    assert (first.difficulty, second.difficulty) == ("medium", "hard")
    await respond(app, alice, thread, Q1_ANSWER)
    await respond(app, alice, thread, Q1_MORE)
    graded_before = len(fake.requests)
    fake.enqueue(GradeReply(score=4.0))
    reply, card = await end_round(app, alice, thread)
    assert card is not None, reply
    assert len(fake.requests) == graded_before + 1  # nothing to grade for question 2
    embed = card.embeds[0]
    assert "Overall: 2.0/5" in embed["description"]
    sections = {f["name"]: f["value"] for f in embed["fields"]}
    assert sections[f"Question 2 · {second.title}"] == "Not answered: it scores 0."


async def test_only_coding_rounds_take_the_phone_screen_format(live: App) -> None:  # noqa: F811
    app = live
    record = await app.emu.slash(
        app.world.alice,
        app.world.practice,
        "mock start",
        round="system_design",
        phone_screen=True,
    )
    text = await answered(record)
    assert record.ephemeral and "phone screen is a coding round" in text
    assert "`/mock start round:coding phone_screen:true`" in text
    assert not app.emu.threads(app.world.practice)
    assert (
        await app.running.services.store.mocks.current(app.world.guild.id, app.world.alice.id)
        is None
    )
