"""Mock rounds and `/mock loop` end to end: the real bot through the emulator, Claude through
the real anthropic SDK against the fake Messages API, a real SQLite file and a manual clock."""

from __future__ import annotations

import re
from datetime import timedelta

import anthropic
import pytest

from bot.content.schema import Question
from bot.domain.mock import GRACE, MockRound, phase_minutes
from bot.domain.points import mock_round_points
from bot.llm.claude import ClaudeGrader
from emulator import Channel, InteractionRecord, InvalidInvocation, Member, Message
from emulator.fake_messages_api import (
    FakeMessagesAPI,
    GradeReply,
    StatusError,
    TurnReply,
    criteria_instance,
)
from tests.conftest import App
from tests.spec.checker import assert_requests_match_spec

pytestmark = pytest.mark.both_databases

FOLLOW_UP_1 = "Good start. Which two requirements matter most for the read path, and why?"
FOLLOW_UP_2 = "You mentioned fan-out: how do you handle a Pinner with ten million followers?"
TURN_1 = (
    "Requirements first: a personalized home feed for 400M users, p99 under 200 ms, "
    "fresh within minutes. Read-heavy, around 100k QPS at peak."
)
TURN_2 = (
    "High level: candidate generation from follows and embeddings, a ranking service, "
    "and a feed cache per user with fan-out on write for most users and fan-out on read "
    "for celebrities. The trade-off is write amplification versus read latency."
)


def claude(fake: FakeMessagesAPI) -> ClaudeGrader:
    """A fresh client each time: the bot closes its grader's client when it stops."""
    client = anthropic.AsyncAnthropic(api_key="test-key", base_url=fake.base_url)
    return ClaudeGrader(client, "claude-haiku-5-5", max_retries=0, timeout_s=5.0)


@pytest.fixture
async def live(app: App, fake: FakeMessagesAPI) -> App:
    app.grader = claude(fake)
    await app.start()
    return app


async def restart(app: App, fake: FakeMessagesAPI) -> None:
    app.grader = claude(fake)
    await app.restart()
    await app.emu.flush()


def final_text(record: InteractionRecord) -> str:
    return record.followups[-1].text if record.followups else record.text


async def answered(record: InteractionRecord) -> str:
    await record.wait_until(lambda r: bool(r.followups) or bool(r.text.strip()))
    return final_text(record)


async def start_round(
    app: App,
    member: Member | None = None,
    channel: Channel | None = None,
    round_name: str = "system_design",
) -> tuple[str, Channel]:
    member = member or app.world.alice
    record = await app.emu.slash(
        member, channel or app.world.practice, "mock start", round=round_name
    )
    text = await answered(record)
    assert record.ephemeral, text
    threads = [t for t in app.emu.threads(channel or app.world.practice) if member.id in t.members]
    assert threads, text
    return text, threads[-1]


async def mock_round(app: App, thread: Channel) -> MockRound:
    mock = await app.running.services.mocks.round_for_thread(thread.id)
    assert mock is not None
    return mock


async def question_of(app: App, thread: Channel) -> Question:
    mock = await mock_round(app, thread)
    question = await app.running.services.catalog.question(mock.guild_id, mock.question_id)
    assert question is not None
    return question


def bot_messages(app: App, thread: Channel) -> list[Message]:
    return [m for m in app.emu.messages(thread) if m.author.id == app.emu.bot_user.id]


async def next_bot_message(app: App, thread: Channel, action: object) -> Message:
    """Run `action` (an awaitable) and return the bot's next message in the thread."""
    seen = {m.id for m in app.emu.messages(thread)}
    await action  # type: ignore[misc]
    await app.emu.wait_for(
        lambda: any(m.id not in seen for m in bot_messages(app, thread)),
        what="the bot's reply in the thread",
    )
    return next(m for m in bot_messages(app, thread) if m.id not in seen)


async def respond(app: App, member: Member, thread: Channel, text: str) -> Message:
    """Answer through the Respond button's form; returns the interviewer's reply."""
    button_message = [m for m in bot_messages(app, thread) if m.find_button("Respond")][-1]
    opened = await app.emu.click(member, button_message, label="Respond")
    assert opened.modal is not None, opened.text
    before = len(bot_messages(app, thread))
    await app.emu.submit_modal(member, opened, {"answer": text})
    # The echo of the answer, then the interviewer's line.
    await app.emu.wait_for(lambda: len(bot_messages(app, thread)) >= before + 2)
    return bot_messages(app, thread)[before + 1]


async def mention(app: App, member: Member, thread: Channel, text: str) -> Message:
    bot_id = app.emu.bot_user.id
    return await next_bot_message(
        app, thread, app.emu.post_message(member, thread, f"<@{bot_id}> {text}")
    )


async def end_round(app: App, member: Member, thread: Channel) -> tuple[str, Message | None]:
    seen = {m.id for m in app.emu.messages(thread)}
    record = await app.emu.slash(member, thread, "mock end")
    text = await answered(record)
    assert record.ephemeral
    cards = [
        m
        for m in bot_messages(app, thread)
        if m.id not in seen and m.embeds and "Scorecard" in str(m.embeds[0].get("title"))
    ]
    return text, cards[-1] if cards else None


SCORE = re.compile(r"\b\d(?:\.\d)?/5\b")


async def test_round_start_two_turns_and_scorecard(live: App, fake: FakeMessagesAPI) -> None:
    app, alice = live, live.world.alice
    text, thread = await start_round(app)
    assert f"<#{thread.id}>" in text and "1/4" in text
    assert thread.type == 12 and thread.parent_id == app.world.practice.id
    assert set(thread.members) == {alice.id, app.emu.bot_user.id}
    question = await question_of(app, thread)
    assert question.round == "system_design"
    opening = bot_messages(app, thread)[0]
    assert opening.pinged_users == {alice.id} and not opening.pinged_everyone
    assert question.title in opening.text and "Time box" in opening.text
    assert "Requirements" in opening.text and "Respond" in opening.text

    fake.enqueue(TurnReply(FOLLOW_UP_1), TurnReply(FOLLOW_UP_2))
    first = await respond(app, alice, thread, TURN_1)
    echo = bot_messages(app, thread)[-2]
    assert TURN_1 in echo.text and "alice" in echo.text
    assert FOLLOW_UP_1 in first.text and "Answer 1/25" in first.text
    assert first.find_button("Respond") is not None
    second = await mention(app, alice, thread, TURN_2)
    assert FOLLOW_UP_2 in second.text and "Answer 2/25" in second.text
    assert second.message_reference is not None  # a reply to the member's message

    # The interviewer sees the conversation from the database, with a cached system prefix.
    turn_request = fake.requests[-1]
    assert TURN_1 in turn_request.user_text and FOLLOW_UP_1 in turn_request.user_text
    assert TURN_2 in turn_request.user_text
    assert turn_request.system_blocks[0].get("cache_control")
    assert question.follow_ups[0] in turn_request.system_text

    reply, card = await end_round(app, alice, thread)
    assert card is not None, reply
    assert "Round closed" in reply and "pts" in reply
    assert SCORE.search(card.text)
    for criterion in question.rubric:
        assert criterion.name in card.text
    assert "Strengths" in card.text and "To improve" in card.text
    assert "Hiring signal: **Lean yes**" in card.text and "Why this signal" in card.text
    assert thread.archived
    store = app.running.services.store
    mock = await mock_round(app, thread)
    assert mock.status == "closed" and mock.points is not None and mock.points > 10
    board = await app.emu.slash(app.world.bob, app.world.practice, "leaderboard")
    assert f"{mock.points} pts" in board.text
    turns = await store.mocks.turns(mock.round_id)
    assert [t.speaker for t in turns] == ["interviewer", "candidate"] * 2 + ["interviewer"]
    assert_requests_match_spec(app.emu.requests)


async def test_time_nudges_follow_the_manual_clock(live: App, fake: FakeMessagesAPI) -> None:
    app, alice = live, live.world.alice
    # Idle closing is tested on its own: here the member is never idle long enough.
    await app.running.services.mocks.configure(
        app.world.guild.id, idle_minutes=120, daily_limit=None
    )
    _, thread = await start_round(app)
    mock = await mock_round(app, thread)
    sweep = app.running.services.mocks.sweep
    assert (await sweep()).nudged == 0
    await respond(app, alice, thread, TURN_1)
    _, (phase, start, _) = phase_minutes(mock.round, mock.time_box_minutes)[:2]

    app.clock.set(mock.started_at + timedelta(minutes=start))
    assert (await sweep()).nudged == 1
    assert phase.label in bot_messages(app, thread)[-1].text

    app.clock.set(mock.deadline - timedelta(minutes=10))
    assert (await sweep()).nudged == 1
    assert "10 minutes left" in bot_messages(app, thread)[-1].text
    assert bot_messages(app, thread)[-1].find_button("Respond") is not None
    assert (await sweep()).nudged == 0  # each nudge once

    app.clock.set(mock.deadline)
    await sweep()
    assert "Time's up" in bot_messages(app, thread)[-1].text
    app.clock.set(mock.deadline + GRACE)
    report = await sweep()
    assert report.closed == 1
    texts = [m.text for m in bot_messages(app, thread)]
    assert any("Scorecard" in t for t in texts)
    assert (await mock_round(app, thread)).end_reason == "time_up"
    # The nudges were the phases' own and the final ones, never a repeat.
    nudges = await app.running.services.store.mocks.sent_nudges(mock.round_id)
    assert {f"phase:{phase.key}", "left:10", "time_up"} <= nudges


async def test_restart_mid_round_keeps_the_thread_going(app: App, fake: FakeMessagesAPI) -> None:
    app.grader = claude(fake)
    await app.start()
    alice = app.world.alice
    _, thread = await start_round(app)
    fake.enqueue(TurnReply(FOLLOW_UP_1))
    await respond(app, alice, thread, TURN_1)
    # A form opened before the restart is submitted after it.
    opened = await app.emu.click(alice, bot_messages(app, thread)[-1], label="Respond")
    await restart(app, fake)
    fake.enqueue(TurnReply(FOLLOW_UP_2))
    before = len(bot_messages(app, thread))
    await app.emu.submit_modal(alice, opened, {"answer": TURN_2})
    await app.emu.wait_for(lambda: len(bot_messages(app, thread)) >= before + 2)
    assert FOLLOW_UP_2 in bot_messages(app, thread)[-1].text
    assert TURN_1 in fake.requests[-1].user_text  # the transcript came from the database
    reply = await mention(app, alice, thread, "One more thought on caching.")
    assert "Answer 3/25" in reply.text
    _, card = await end_round(app, alice, thread)
    assert card is not None


async def test_only_the_candidate_acts_in_the_round(live: App, fake: FakeMessagesAPI) -> None:
    app, bob = live, live.world.bob
    _, thread = await start_round(app)
    mock = await mock_round(app, thread)
    opening = bot_messages(app, thread)[0]
    # A private thread: other members cannot even see it.
    with pytest.raises(InvalidInvocation):
        await app.emu.post_message(bob, thread, "hello?")
    # A moderator who can see every private thread still cannot take part.
    moderator = app.emu.add_member(
        app.world.guild,
        "mod",
        permissions=[
            "VIEW_CHANNEL",
            "SEND_MESSAGES_IN_THREADS",
            "USE_APPLICATION_COMMANDS",
            "MANAGE_THREADS",
        ],
    )
    await app.emu.flush()
    pressed = await app.emu.click(moderator, opening, label="Respond")
    assert pressed.modal is None and pressed.ephemeral and "Only" in pressed.text
    refusal = await mention(app, moderator, thread, "Let me answer for her: use a cache.")
    assert "Only" in refusal.text and not refusal.pinged_users
    ended = await app.emu.slash(moderator, thread, "mock end")
    assert "Only" in await answered(ended) and ended.ephemeral
    store = app.running.services.store
    assert [t.speaker for t in await store.mocks.turns(mock.round_id)] == ["interviewer"]
    assert (await mock_round(app, thread)).is_active
    # An admin (Manage Server) may close a stuck round.
    text, card = await end_round(app, app.world.admin, thread)
    assert card is None and "no answers" in text
    assert (await mock_round(app, thread)).status == "abandoned"


async def test_llm_failure_mid_round_loses_nothing(live: App, fake: FakeMessagesAPI) -> None:
    app, alice = live, live.world.alice
    _, thread = await start_round(app)
    question = await question_of(app, thread)
    fake.enqueue(StatusError(500, "api_error", "Internal server error"))
    fallback = await respond(app, alice, thread, TURN_1)
    assert question.follow_ups[0] in fallback.text
    assert "unavailable" in fallback.text and "saved" in fallback.text
    mock = await mock_round(app, thread)
    turns = await app.running.services.store.mocks.turns(mock.round_id)
    assert turns[1].content == TURN_1 and turns[2].source == "fallback"
    # The round goes on, with Claude again once it is back.
    fake.enqueue(TurnReply(FOLLOW_UP_2))
    back = await mention(app, alice, thread, TURN_2)
    assert FOLLOW_UP_2 in back.text and "unavailable" not in back.text

    # The scorecard failing too: the round is closed, the transcript kept, and the member does
    # not wait with nothing: the offline scorecard at once, labelled approximate, with points.
    fake.enqueue(StatusError(529, "overloaded_error", "Overloaded"))
    reply, card = await end_round(app, alice, thread)
    assert card is not None and "approximate" in reply and "will follow" in reply
    stand_in = card.embeds[0]
    assert "AI scorecard will follow" in stand_in["description"]
    assert stand_in["footer"]["text"].endswith("graded by offline")
    mock = await mock_round(app, thread)
    assert mock.status == "scoring" and mock.points is not None
    assert await ledger(app, mock) == [mock.points]
    # The AI scorecard follows; its points replace the stand-in's, counted once.
    fake.enqueue(GradeReply(score=5.0))
    app.clock.advance(timedelta(minutes=3))
    assert (await app.running.services.mocks.sweep()).scored == 1
    final = bot_messages(app, thread)[-1].embeds[0]
    assert "Scorecard" in final["title"] and "will follow" not in final["description"]
    assert not final["footer"]["text"].endswith("graded by offline")
    closed = await mock_round(app, thread)
    assert closed.status == "closed"
    assert closed.points == mock_round_points(5.0, 5, injection_attempt=False)
    assert await ledger(app, closed) == [closed.points]
    total = await app.running.services.store.points.total(closed.guild_id, closed.user_id)
    assert total >= closed.points


async def ledger(app: App, mock: MockRound) -> list[int]:
    """The round's rows in the points ledger."""
    rows = await app.running.services.store.db.fetchall(
        "SELECT amount FROM points WHERE kind = 'mock' AND ref = ?", (str(mock.round_id),)
    )
    return [row["amount"] for row in rows]


async def test_one_round_at_a_time_and_a_daily_limit(live: App) -> None:
    app, alice = live, live.world.alice
    _, thread = await start_round(app)
    again = await app.emu.slash(alice, app.world.daily, "mock start", round="coding")
    refusal = await answered(again)
    assert again.ephemeral and f"<#{thread.id}>" in refusal and "one at a time" in refusal
    assert len(app.emu.threads(app.world.daily)) == 0

    refused = await app.emu.slash(alice, app.world.practice, "mock settings", daily_limit=2)
    assert "Manage Server" in refused.text
    saved = await app.emu.slash(app.world.admin, app.world.practice, "mock settings", daily_limit=2)
    assert "**2** per day" in saved.text
    await end_round(app, alice, thread)
    _, second = await start_round(app, round_name="behavioral")
    await end_round(app, alice, second)
    third = await app.emu.slash(alice, app.world.practice, "mock start", round="coding")
    assert "daily limit" in await answered(third)


async def test_wrong_places_get_clear_answers(live: App) -> None:
    app, alice = live, live.world.alice
    in_voice = await app.emu.slash(alice, app.world.voice, "mock start", round="coding")
    assert in_voice.ephemeral and "text channel" in in_voice.text
    nothing = await app.emu.slash(alice, app.world.practice, "mock end")
    assert "no mock round" in await answered(nothing)
    _, thread = await start_round(app)
    elsewhere = await app.emu.slash(alice, app.world.practice, "mock end")
    assert f"<#{thread.id}>" in await answered(elsewhere)
    in_thread = await app.emu.slash(alice, thread, "mock start", round="coding")
    assert "text channel" in in_thread.text


async def test_plain_messages_count_with_the_message_content_intent(
    app: App, fake: FakeMessagesAPI
) -> None:
    app.grader = claude(fake)
    await app.start(bot_message_content=True)
    alice = app.world.alice
    _, thread = await start_round(app)
    assert "simply write in this thread" in bot_messages(app, thread)[0].text
    fake.enqueue(TurnReply(FOLLOW_UP_1))
    reply = await next_bot_message(
        app, thread, app.emu.post_message(alice, thread, "```python\ndef feed(): ...\n```")
    )
    assert FOLLOW_UP_1 in reply.text
    turns = await app.running.services.store.mocks.turns((await mock_round(app, thread)).round_id)
    assert turns[-2].source == "message" and turns[-2].content.startswith("```python")


async def test_idle_round_is_warned_then_closed(live: App) -> None:
    app = live
    _, thread = await start_round(app)  # system design: a time box longer than the idle time
    mock = await mock_round(app, thread)
    sweep = app.running.services.mocks.sweep
    app.clock.set(mock.started_at + timedelta(minutes=25))
    await sweep()
    assert "Still there?" in bot_messages(app, thread)[-1].text
    form = await app.emu.click(app.world.alice, bot_messages(app, thread)[-1], label="Respond")
    app.clock.set(mock.started_at + timedelta(minutes=30))
    assert (await sweep()).closed == 1
    # A form sent after the close is refused, and what was typed comes back, not lost.
    late_form = await app.emu.submit_modal(app.world.alice, form, {"answer": TURN_1})
    await late_form.wait_for_followups(1)
    assert late_form.followups[0].ephemeral and "over" in late_form.followups[0].text
    assert TURN_1 in late_form.followups[0].text
    closed = await mock_round(app, thread)
    assert closed.status == "abandoned" and closed.end_reason == "idle"
    assert "nothing to score" in bot_messages(app, thread)[-1].text
    late = await mention(app, app.world.alice, thread, "Sorry, I'm back!")
    assert "This round is over" in late.text
    await start_round(app)  # the member is free to start again


async def test_onsite_loop_ends_in_a_committee_packet(live: App, fake: FakeMessagesAPI) -> None:
    app, alice = live, live.world.alice
    labels = ["Coding screen", "System design", "ML design", "Behavioral"]
    threads = []
    for position, label in enumerate(labels):
        record = await app.emu.slash(alice, app.world.practice, "mock loop", track="ml")
        text = await answered(record)
        assert f"{position + 1}/4" in text and label in text, text
        thread = app.emu.threads(app.world.practice)[-1]
        threads.append(thread)
        assert label in bot_messages(app, thread)[0].text
        if position == 0:
            busy = await app.emu.slash(alice, app.world.practice, "mock loop")
            assert "one at a time" in await answered(busy)
        await mention(app, alice, thread, TURN_1)
        await mention(app, alice, thread, TURN_2)
        _, card = await end_round(app, alice, thread)
        assert card is not None
        if position == 0:
            assert "Next: **System design**" in bot_messages(app, thread)[-1].text
            status = await app.emu.slash(alice, app.world.practice, "mock status")
            assert "✅ Coding screen" in status.text and "◻ System design" in status.text

    packet = bot_messages(app, threads[-1])[-1]
    assert "Hiring committee packet" in packet.text
    # The fake grader's signal is "lean yes" for every round.
    assert "Decision: Lean yes" in packet.text
    for label, thread in zip(labels, threads, strict=True):
        assert label in packet.text and f"<#{thread.id}>" in packet.text
    loops = list(await app.running.services.store.db.fetchall("SELECT * FROM mock_loops"))
    assert [(r["status"], r["decision"]) for r in loops] == [("complete", "lean yes")]
    # Four rounds today is this server's default daily limit.
    fifth = await app.emu.slash(alice, app.world.practice, "mock loop")
    assert "daily limit" in await answered(fifth)


async def test_a_long_scorecard_stays_within_discord_limits(
    live: App, fake: FakeMessagesAPI
) -> None:
    app, alice = live, live.world.alice
    _, thread = await start_round(app)
    question = await question_of(app, thread)
    await mention(app, alice, thread, TURN_1)
    wordy = "word " * 120
    fake.enqueue(
        GradeReply(
            payload={
                "criteria": {
                    key: {**entry, "comment": wordy}
                    for key, entry in criteria_instance(
                        [c.name for c in question.rubric], {c.name: 4 for c in question.rubric}, ""
                    ).items()
                },
                "strengths": [wordy] * 3,
                "improvements": [wordy] * 3,
                "strong_answer_adds": [wordy] * 3,
                "injection_attempt": False,
                "language": "en",
                "hiring_signal": "yes",
                "hiring_reasons": [wordy] * 4,
            }
        )
    )
    _, card = await end_round(app, alice, thread)
    assert card is not None  # Discord would have refused an embed over 6000 characters
    embed = card.embeds[0]
    assert "4.0/5" in card.text and "Hiring signal: **Yes**" in card.text
    assert all(len(f["value"]) <= 1024 for f in embed["fields"])
