"""Faults, end to end: Discord failing (5xx, 429, 403, 404), the gateway reconnecting, the AI
grader down for an hour, and the database locked by another connection."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.services.daily import MAX_POST_ATTEMPTS
from bot.services.ports import PublishError
from emulator.fake_messages_api import FakeMessagesAPI, Overloaded
from tests.conftest import App
from tests.e2e.daily_helpers import STRONG_ANSWER, answer, at, daily_posts, fire, setup_daily
from tests.e2e.grading_helpers import claude_grader, posted_question, rows
from tests.spec.checker import assert_requests_match_spec

RETRY_SWEEP = timedelta(minutes=5)  # the retry-posts job's interval


def statuses(app: App, method: str, path: str) -> list[int]:
    return [r.status for r in app.emu.requests if r.method == method and r.path == path]


async def test_429_on_the_daily_post_is_waited_out_and_posted_once(running: App) -> None:
    await setup_daily(running)
    path = f"/channels/{running.world.daily.id}/messages"
    running.emu.fail_next("POST", path, 429, count=2)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    assert statuses(running, "POST", path) == [429, 429, 200]  # discord.py honoured retry_after
    assert len(daily_posts(running)) == 1


async def test_5xx_on_an_interaction_reply_is_retried(running: App) -> None:
    running.emu.fail_next("POST", "/interactions/*/*/callback", 502)
    status = await running.emu.slash(running.world.alice, running.world.daily, "daily status")
    assert "not set up" in status.text.lower()
    callbacks = [r.status for r in running.emu.requests if r.path.endswith("/callback")]
    assert callbacks == [502, 200]  # retried within Discord's 3 s


async def test_429_on_feedback_is_waited_out(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    running.emu.fail_next("POST", "/webhooks/*/*", 429)
    submitted = await answer(running, running.world.alice, daily_posts(running)[0], STRONG_ANSWER)
    assert "/5" in submitted.followups[-1].text
    webhooks = [r.status for r in running.emu.requests if r.path.startswith("/webhooks/")]
    assert webhooks[:2] == [429, 200]


async def test_503_on_the_post_is_looked_for_then_retried_once(running: App) -> None:
    """A 503 (not retried by discord.py) may hide a post that was made: the retry looks in the
    channel before sending again."""
    await setup_daily(running)
    path = f"/channels/{running.world.daily.id}/messages"
    running.emu.fail_next("POST", path, 503)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    assert daily_posts(running) == []
    running.clock.advance(RETRY_SWEEP)
    [outcome] = await running.running.services.daily.retry_failed()
    assert outcome.created and len(daily_posts(running)) == 1
    assert statuses(running, "GET", path) == [200]  # looked before resending
    assert statuses(running, "POST", path) == [503, 200]


async def test_a_post_lost_in_a_5xx_is_found_not_doubled(running: App) -> None:
    """Discord made the post but answered 503: the retry finds it instead of posting again."""
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    publisher = running.running.services.daily._publisher
    real = publisher.publish_daily

    async def sent_then_failed(*args: object, **kwargs: object) -> object:
        await real(*args, **kwargs)  # type: ignore[arg-type]
        raise PublishError("Discord failed the post (503).", "", certain_not_sent=False)

    publisher.publish_daily = sent_then_failed  # type: ignore[method-assign]
    await fire(running)
    publisher.publish_daily = real  # type: ignore[method-assign]
    assert len(daily_posts(running)) == 1
    [outcome] = await running.running.services.daily.retry_failed()
    assert not outcome.created and outcome.post is not None
    assert "found in the channel" in outcome.reason and "thread opened" in outcome.reason
    assert outcome.post.message_id == daily_posts(running)[0].id
    assert len(daily_posts(running)) == 1
    await _the_found_post_has_its_thread_and_tomorrows_reveal(running)


async def _the_found_post_has_its_thread_and_tomorrows_reveal(app: App) -> None:
    [post] = daily_posts(app)
    assert post.thread is not None
    [stored] = await rows(app, "SELECT thread_id FROM daily_posts")
    assert stored["thread_id"] == post.thread.id
    app.clock.advance(timedelta(days=1))
    await fire(app)
    assert len(daily_posts(app)) == 2
    reveals = [m for m in app.emu.messages(post.thread) if "Reveal" in m.text]
    assert len(reveals) == 1
    assert not [m for m in app.emu.messages(app.world.daily) if "Reveal" in m.text]


async def test_a_post_made_before_a_crash_gets_its_thread_after_the_restart(
    running: App, caplog: pytest.LogCaptureFixture
) -> None:
    """Killed while Discord was creating the post: the restart finds the post, does not post
    again, opens its thread, and logs what happened (not a catch-up post)."""
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    publisher = running.running.services.daily._publisher
    real = publisher.publish_daily

    async def sent_then_killed(*args: object, **kwargs: object) -> object:
        await real(*args, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt  # nothing after Discord's answer runs, as with a SIGKILL

    publisher.publish_daily = sent_then_killed  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        await running.running.services.daily.post_if_due(running.world.guild.id)
    [claimed] = await rows(running, "SELECT status, thread_id FROM daily_posts")
    assert claimed["status"] != "posted" and claimed["thread_id"] is None
    caplog.set_level("INFO")
    await running.restart()
    await running.emu.wait_for(lambda: daily_posts(running)[0].thread is not None)
    await running.emu.flush()
    assert len(daily_posts(running)) == 1
    said = [r.getMessage() for r in caplog.records]
    assert any("found in the channel" in line for line in said), said
    assert not any("catch-up post" in line for line in said)
    await _the_found_post_has_its_thread_and_tomorrows_reveal(running)


@pytest.mark.parametrize("fault", ["deleted", "forbidden"])
async def test_404_and_403_on_the_channel_are_reported_and_not_retried_forever(
    running: App, fault: str
) -> None:
    await setup_daily(running)
    daily = running.world.daily
    if fault == "deleted":
        await running.emu.delete_channel(daily)
    else:  # the cache says we may post, Discord says no, until an admin fixes it
        running.emu.fail_next(
            "POST", f"/channels/{daily.id}/messages", 403, count=MAX_POST_ATTEMPTS
        )
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    notices = [m.text for m in running.emu.messages(running.world.practice)]
    assert len(notices) == 1 and "could not post" in notices[0] and "retry" in notices[0]

    service = running.running.services.daily
    for _ in range(3 * MAX_POST_ATTEMPTS):  # 90 minutes of the retry sweep
        running.clock.advance(RETRY_SWEEP)
        await service.retry_failed()
    [post] = await rows(running, "SELECT status, attempts FROM daily_posts")
    assert post == {"status": "failed", "attempts": MAX_POST_ATTEMPTS}
    if fault == "forbidden":
        sent = statuses(running, "POST", f"/channels/{daily.id}/messages")
        assert sent == [403] * MAX_POST_ATTEMPTS
    notices = [m.text for m in running.emu.messages(running.world.practice)]
    assert len(notices) == 2 and f"stopped retrying after {MAX_POST_ATTEMPTS}" in notices[1]

    status = await running.emu.slash(running.world.admin, running.world.practice, "daily status")
    assert f"stopped retrying after {MAX_POST_ATTEMPTS} attempts" in status.text
    assert "/daily now" in status.text

    # The cron job and a restart's catch-up do not try again today; an admin's /daily now does.
    await fire(running)
    assert (await rows(running, "SELECT attempts FROM daily_posts"))[0]["attempts"] == (
        MAX_POST_ATTEMPTS
    )
    if fault == "forbidden":
        now = await running.emu.slash(running.world.admin, running.world.practice, "daily now")
        [done] = await now.wait_for_followups(1)
        assert "Posted" in done.text and len(daily_posts(running)) == 1


async def test_gateway_reconnect_resumes_and_the_bot_still_answers(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    post = daily_posts(running)[0]
    await running.emu.force_reconnect(wait=False)
    # Sent while the bot is reconnecting: the emulator holds it until the session resumes.
    status = await running.emu.slash(running.world.alice, running.world.daily, "daily status")
    assert running.emu.stats["resumes"] == 1
    assert "09:00 Europe/Berlin" in status.text
    submitted = await answer(running, running.world.bob, post, STRONG_ANSWER)
    assert "/5" in submitted.followups[-1].text
    await running.emu.force_reconnect()
    assert running.emu.stats["resumes"] == 2
    board = await running.emu.slash(running.world.alice, running.world.daily, "leaderboard")
    assert "pts" in board.text
    assert_requests_match_spec(running.emu.requests)


async def test_an_hour_without_the_grader_queues_answers_and_grades_them_later(
    app: App, fake: FakeMessagesAPI
) -> None:
    app.grader = claude_grader(fake)  # one retry per grading call: 2 requests per attempt
    await app.start()
    post = await posted_question(app)
    # Five attempts per answer fail (0, 2, 6, 14 and 30 minutes in), two answers.
    fake.enqueue(*[Overloaded()] * (5 * 2 * 2))
    for member in (app.world.alice, app.world.bob):
        submitted = await answer(app, member, post, STRONG_ANSWER)
        shown = submitted.followups[-1].text  # the offline stand-in, at once
        assert "Approximate" in shown and "AI feedback will follow" in shown
    answers = app.running.services.answers
    graded_at = []
    for minute in range(1, 70):  # the retry-grades job runs every minute
        app.clock.advance(timedelta(minutes=1))
        if await answers.retry_delayed():
            graded_at.append(minute)
    assert graded_at == [62] and fake.pending == 0  # 62 minutes after, in one sweep
    stored = await rows(
        app,
        "SELECT a.status, a.content, g.grader, g.fallback FROM answers a "
        "JOIN grades g ON g.answer_id = a.answer_id",
    )
    assert (
        stored
        == [{"status": "graded", "content": STRONG_ANSWER, "grader": "claude", "fallback": None}]
        * 2
    )
    for member in (app.world.alice, app.world.bob):
        [dm] = app.emu.messages(app.emu.dm_channel(member))
        assert "/5" in dm.text and "Approximate" not in dm.text


def hold_write_lock(path: Path, seconds: float, locked: threading.Event) -> None:
    """Another process's writer (a backup script, an admin's sqlite3 shell) holding the lock."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
    finally:
        conn.close()


async def test_a_busy_database_makes_writes_wait_then_succeed(running: App) -> None:
    locked = threading.Event()
    holder = asyncio.create_task(asyncio.to_thread(hold_write_lock, running.db_path, 1.0, locked))
    assert await asyncio.to_thread(locked.wait, 5.0)
    started = time.monotonic()
    # No database involved: the event loop is free while a write waits for the lock.
    helped = await running.emu.slash(running.world.alice, running.world.daily, "help")
    assert helped.text and time.monotonic() - started < 0.5
    done = await setup_daily(running)
    waited = time.monotonic() - started
    await holder
    assert "scheduled" in done.text and 0.8 < waited < 3.0
    config = await running.running.services.store.guilds.get(running.world.guild.id)
    assert config is not None and config.channel_id == running.world.daily.id


async def test_a_post_recorded_without_its_thread_gets_the_one_it_has(running: App) -> None:
    """A crash between recording the post and its thread: the next run settles the thread,
    and when Discord already made it ("thread already created") that thread is the one kept."""
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    [post] = daily_posts(running)
    assert post.thread is not None
    store = running.running.services.store
    async with store.db.transaction() as conn:
        await conn.execute("UPDATE daily_posts SET thread_id = NULL")
    outcome = await running.running.services.daily.post_if_due(running.world.guild.id)
    assert not outcome.created and "thread opened" in outcome.reason, outcome.reason
    assert (await rows(running, "SELECT thread_id FROM daily_posts"))[0] == {
        "thread_id": post.thread.id
    }
    assert len(running.emu.threads(running.world.daily)) == 1
    again = await running.running.services.daily.post_if_due(running.world.guild.id)
    assert again.reason == "already posted today"
