"""Peer AI notes when the AI cannot give them, like a daily answer's grade: an overloaded or
timing-out API leaves the note waiting for the sweep's retry (with back-off), and a refusal, a
spent budget or the last retry failing sends the offline stand-in, labelled approximate. The
real bot, the emulator, the fake Messages API."""

from __future__ import annotations

import pytest

from bot.domain.grading import MAX_AI_ATTEMPTS, MAX_RETRY_DELAY
from emulator import Member
from emulator.fake_messages_api import Behaviour, FakeMessagesAPI, Overloaded, Refusal, Slow
from tests.conftest import App
from tests.e2e.grading_helpers import claude_grader, rows
from tests.e2e.test_peer import MINUTE, matched
from tests.e2e.waits import until

pytestmark = pytest.mark.both_databases

# Two requests per attempt (the grader's max_retries=1), both failing.
FAILURES: dict[str, tuple[Behaviour, ...]] = {
    "overloaded": (Overloaded(), Overloaded()),
    "timeout": (Slow(3.0), Slow(3.0)),  # past the grader's 1 s per-attempt timeout
}


def notes_text(app: App, member: Member) -> str:
    """Every DM the member got about their turn as the candidate."""
    dms = app.emu.messages(app.emu.dm_channel(member))
    return "\n".join(m.text for m in dms if "on your turn as the candidate" in m.text)


async def pending(app: App) -> tuple[int, int]:
    [row] = await rows(app, "SELECT notes_pending, notes_attempts FROM peer_sessions")
    return row["notes_pending"], row["notes_attempts"]


async def session_ended(app: App, *, then_pending: tuple[int, int] | None = None) -> None:
    """Bob answers Alice's question, Alice ends the session; with `then_pending`, until the
    note's wait is recorded (the notes are written after the reply to the click)."""
    world = app.world
    thread, start = await matched(app, world.alice, world.bob)
    await app.emu.post_message(world.alice, thread, "How would you find the affected boards?")
    await app.emu.post_message(world.bob, thread, "BFS from the start with a visited set.")
    app.clock.advance(20 * MINUTE)
    await app.emu.click(world.alice, start, label="End session")
    if then_pending is None:
        await app.emu.wait_for(lambda: bool(notes_text(app, world.bob)))
        return
    await until_pending(app, then_pending)


async def until_pending(app: App, expected: tuple[int, int]) -> None:
    """Until the notes' wait is recorded as `expected` (it is written after the reply)."""

    async def recorded() -> bool:
        return await pending(app) == expected

    await until(recorded, f"the notes to wait as {expected}")


@pytest.mark.parametrize("failure", sorted(FAILURES))
async def test_a_retryable_failure_waits_and_the_sweep_sends_the_ai_notes(
    app: App, fake: FakeMessagesAPI, failure: str
) -> None:
    app.grader = claude_grader(fake)
    await app.start(bot_message_content=True)
    fake.enqueue(*FAILURES[failure])
    await session_ended(app, then_pending=(1, 1))
    assert notes_text(app, app.world.bob) == ""
    sweep = app.running.services.peers.sweep
    # Not before its back-off.
    app.clock.advance(MINUTE)
    assert (await sweep.run()).notes == 0 and len(fake.requests) == 2
    app.clock.advance(MINUTE)
    assert (await sweep.run()).notes == 1
    sent = notes_text(app, app.world.bob)
    assert "AI notes" in sent and "Overall:" in sent and "Approximate" not in sent
    assert await pending(app) == (0, 2)
    app.clock.advance(MAX_RETRY_DELAY)
    assert (await sweep.run()).notes == 0 and len(fake.requests) == 3  # nothing sent twice


async def test_a_refusal_sends_the_offline_stand_in_labelled(
    app: App, fake: FakeMessagesAPI
) -> None:
    app.grader = claude_grader(fake)
    await app.start(bot_message_content=True)
    fake.enqueue(Refusal())
    await session_ended(app)
    sent = notes_text(app, app.world.bob)
    assert "Approximate" in sent and "could not grade" in sent and "Overall:" in sent
    assert "AI notes" not in sent
    await until_pending(app, (0, 0))


async def test_a_spent_budget_sends_the_offline_stand_in_and_asks_nothing(
    app: App, fake: FakeMessagesAPI
) -> None:
    app.grader = claude_grader(fake)
    await app.start(bot_message_content=True)
    await app.running.services.grading.set_limits(
        app.world.guild.id, member_daily_answers=None, guild_daily_tokens=0, updated_by=1
    )
    await session_ended(app)
    sent = notes_text(app, app.world.bob)
    assert "Approximate" in sent and "budget is used up" in sent
    assert fake.requests == []
    await until_pending(app, (0, 0))


async def test_the_last_retry_failing_sends_the_offline_stand_in(
    app: App, fake: FakeMessagesAPI
) -> None:
    app.grader = claude_grader(fake)
    await app.start(bot_message_content=True)
    fake.enqueue(*FAILURES["overloaded"] * MAX_AI_ATTEMPTS)
    await session_ended(app, then_pending=(1, 1))
    sweep = app.running.services.peers.sweep
    for attempt in range(2, MAX_AI_ATTEMPTS):
        app.clock.advance(MAX_RETRY_DELAY)
        assert (await sweep.run()).notes == 0
        assert await pending(app) == (1, attempt)
    app.clock.advance(MAX_RETRY_DELAY)
    assert (await sweep.run()).notes == 1
    sent = notes_text(app, app.world.bob)
    assert "Approximate" in sent and "stayed unavailable" in sent
    assert await pending(app) == (0, MAX_AI_ATTEMPTS)
    assert len(fake.requests) == 2 * MAX_AI_ATTEMPTS


async def test_a_note_cut_off_by_a_stop_is_sent_after_the_restart(
    app: App, fake: FakeMessagesAPI
) -> None:
    """The bot stops while the AI is still writing the note: it was marked before the call, so
    the sweep of the next start sends it once the lease ends, and only once."""
    app.grader = claude_grader(fake, timeout_s=30.0)
    await app.start(bot_message_content=True)
    fake.enqueue(Slow(30.0))
    world = app.world
    thread, start = await matched(app, world.alice, world.bob)
    await app.emu.post_message(world.alice, thread, "How would you find the affected boards?")
    await app.emu.post_message(world.bob, thread, "BFS from the start with a visited set.")
    app.clock.advance(20 * MINUTE)
    await app.emu.click(world.alice, start, label="End session")
    await app.emu.wait_for(lambda: len(fake.requests) == 1)
    await app.stop()
    app.grader = claude_grader(fake)
    await app.start(bot_message_content=True)
    assert await pending(app) == (3, 0)  # both halves marked; only Bob's has a candidate
    sweep = app.running.services.peers.sweep
    assert (await sweep.run()).notes == 0  # still leased: the stopped process might finish it
    app.clock.advance(MAX_RETRY_DELAY)
    assert (await sweep.run()).notes == 1
    assert notes_text(app, world.bob).count("AI notes") == 1
    app.clock.advance(MAX_RETRY_DELAY)
    assert (await sweep.run()).notes == 0 and len(fake.requests) == 2
