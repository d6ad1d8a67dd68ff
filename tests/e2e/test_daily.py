"""The daily question end to end: real bot, real SQLite, the emulator, a manual clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.content.layout import LIST_ITEM, unwrap
from bot.scheduler import job_id
from tests.conftest import App
from tests.e2e.daily_helpers import STRONG_ANSWER, answer, at, daily_posts, fire, setup_daily
from tests.spec.checker import assert_requests_match_spec

pytestmark = pytest.mark.both_databases


async def test_admin_sets_up_and_a_member_is_refused(running: App) -> None:
    refused = await running.emu.slash(
        running.world.alice,
        running.world.daily,
        "daily setup",
        channel=running.world.daily,
        time="09:00",
        timezone="Europe/Berlin",
    )
    assert refused.ephemeral and "Manage Server" in refused.text
    assert await running.running.services.store.guilds.get(running.world.guild.id) is None

    done = await setup_daily(running)
    assert done.ephemeral and "09:00" in done.text and "Europe/Berlin" in done.text
    assert "<t:" in done.text
    assert daily_posts(running) == []  # setup never posts by itself
    assert_requests_match_spec(running.emu.requests)


async def test_invalid_input_is_explained_and_changes_nothing(running: App) -> None:
    bad_time = await setup_daily(running, time="25:00")
    assert bad_time.ephemeral and "HH:MM" in bad_time.text
    bad_zone = await setup_daily(running, timezone="Mars/Base")
    assert bad_zone.ephemeral and "not a timezone" in bad_zone.text
    running.emu.set_bot_channel_permissions(running.world.daily, deny=["SEND_MESSAGES"])
    await running.emu.flush()
    no_send = await setup_daily(running)
    assert no_send.ephemeral and "Send Messages" in no_send.text
    assert await running.running.services.store.guilds.get(running.world.guild.id) is None


async def test_timezone_autocomplete_answers_from_memory(running: App) -> None:
    choices = await running.emu.autocomplete(
        running.world.admin,
        running.world.daily,
        "daily setup",
        focused="timezone",
        channel=running.world.daily,
        time="09:00",
        timezone="europe/ber",
    )
    assert choices[0]["value"] == "Europe/Berlin"


async def test_scheduled_post_arrives_at_its_minute(running: App) -> None:
    await setup_daily(running)  # 08:00 Berlin now
    job = running.running.services.scheduler.scheduler.get_job(job_id(running.world.guild.id))
    assert isinstance(job.trigger, CronTrigger)
    # The cron trigger and the daily service agree on the instant: 09:00 Berlin = 08:00 UTC.
    assert job.trigger.get_next_fire_time(None, running.clock.now()) == at(2026, 11, 26, 8, 0)
    running.clock.set(at(2026, 11, 26, 7, 59, 59))
    await fire(running)
    assert daily_posts(running) == []
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    posts = daily_posts(running)
    assert len(posts) == 1
    post = posts[0]
    assert [b["label"] for b in post.buttons] == ["Answer", "Hint"]
    assert post.thread is not None  # public discussion thread under the post
    assert not post.pinged_everyone and not post.pinged_roles
    await fire(running)  # a second fire the same day (e.g. DST's repeated hour) posts nothing
    assert len(daily_posts(running)) == 1


async def test_daily_now_twice_posts_once(running: App) -> None:
    await setup_daily(running)
    first = await running.emu.slash(running.world.admin, running.world.practice, "daily now")
    await first.wait_for_followups(1) if not first.text.strip() else None
    second = await running.emu.slash(running.world.admin, running.world.practice, "daily now")
    await second.wait_until(lambda r: "already posted" in r.text)
    assert len(daily_posts(running)) == 1


async def test_restart_mid_day_does_not_post_again(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    running.clock.set(at(2026, 11, 26, 12, 0))
    await running.restart()
    await running.emu.flush()
    await fire(running)
    assert len(daily_posts(running)) == 1


async def test_catch_up_after_downtime_posts_once(running: App) -> None:
    await setup_daily(running)
    await running.stop()
    running.clock.set(at(2026, 11, 26, 10, 30))  # the 09:00 Berlin post was missed
    await running.start()
    await running.emu.wait_for(lambda: len(daily_posts(running)) == 1)
    await running.restart()
    await running.emu.flush()
    assert len(daily_posts(running)) == 1


async def test_setup_after_todays_time_starts_tomorrow(running: App) -> None:
    running.clock.set(at(2026, 11, 26, 12, 0))  # 13:00 Berlin
    await setup_daily(running)
    await fire(running)
    await running.restart()
    await running.emu.flush()
    assert daily_posts(running) == []
    running.clock.set(at(2026, 11, 27, 8, 0))
    await fire(running)
    assert len(daily_posts(running)) == 1


async def test_autumn_repeated_hour_posts_once(running: App) -> None:
    running.clock.set(at(2026, 10, 31, 12, 0))
    await setup_daily(running, time="01:30", timezone="America/New_York")
    running.clock.set(at(2026, 11, 1, 5, 30))  # first 01:30 (EDT)
    await fire(running)
    running.clock.set(at(2026, 11, 1, 6, 30))  # second 01:30 (EST)
    await fire(running)
    assert len(daily_posts(running)) == 1


async def test_spring_gap_posts_once_at_the_shifted_time(running: App) -> None:
    running.clock.set(at(2026, 3, 7, 12, 0))
    await setup_daily(running, time="02:30", timezone="America/New_York")
    job = running.running.services.scheduler.scheduler.get_job(job_id(running.world.guild.id))
    fire_at = job.trigger.get_next_fire_time(None, at(2026, 3, 8, 5, 0))
    assert fire_at.astimezone(at(2026, 1, 1, 0, 0).tzinfo) == at(2026, 3, 8, 7, 30)  # 03:30 EDT
    running.clock.set(at(2026, 3, 8, 7, 29))
    await fire(running)
    assert daily_posts(running) == []
    running.clock.set(at(2026, 3, 8, 7, 30))
    await fire(running)
    await fire(running)
    assert len(daily_posts(running)) == 1


async def test_answer_is_saved_and_graded_privately(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    post = daily_posts(running)[0]
    submitted = await answer(running, running.world.alice, post, STRONG_ANSWER)
    feedback = submitted.followups[-1]
    assert feedback.ephemeral
    assert "/5" in feedback.text and "Approximate" in feedback.text
    store = running.running.services.store
    rows = list(await store.db.fetchall("SELECT content, status FROM answers"))
    assert [(r["content"], r["status"]) for r in rows] == [(STRONG_ANSWER, "graded")]
    assert_requests_match_spec(running.emu.requests)


async def test_resubmission_replaces_and_points_count_once(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    post = daily_posts(running)[0]
    await answer(running, running.world.alice, post, "BFS maybe.")
    again = await answer(running, running.world.alice, post, STRONG_ANSWER)
    assert "replaces" in again.followups[-1].text
    store = running.running.services.store
    rows = list(await store.db.fetchall("SELECT COUNT(*) AS n, MAX(revision) AS r FROM answers"))
    assert (rows[0]["n"], rows[0]["r"]) == (1, 2)
    board = await running.emu.slash(running.world.bob, running.world.daily, "leaderboard")
    assert board.text.count("pts") == 1 and "#1" in board.text


async def test_hints_are_graded_recorded_and_run_out(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    post = daily_posts(running)[0]
    texts = []
    for _ in range(4):
        hint = await running.emu.click(running.world.alice, post, label="Hint")
        assert hint.ephemeral
        texts.append(hint.text)
    assert "Hint 1/" in texts[0] and "Hint 2/" in texts[1]
    assert "all" in texts[-1] and "hints" in texts[-1]


async def test_old_buttons_work_after_a_restart(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    post = daily_posts(running)[0]
    await running.restart()
    submitted = await answer(running, running.world.bob, post, STRONG_ANSWER)
    assert "/5" in submitted.followups[-1].text


async def test_reveal_comes_with_the_next_post_and_closes_answers(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    first = daily_posts(running)[0]
    await answer(running, running.world.alice, first, STRONG_ANSWER)
    running.clock.advance(timedelta(days=1))
    await fire(running)
    assert len(daily_posts(running)) == 2
    assert first.thread is not None
    reveals = [m for m in running.emu.messages(first.thread) if "Reveal" in m.text]
    assert len(reveals) == 1 and "Answers" in reveals[0].text
    late = await running.emu.click(running.world.bob, first, label="Answer")
    assert late.ephemeral and "closed" in late.text


async def test_permission_problem_is_reported_and_the_post_retried(running: App) -> None:
    await setup_daily(running)
    running.emu.set_bot_channel_permissions(running.world.daily, deny=["SEND_MESSAGES"])
    await running.emu.flush()
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    assert daily_posts(running) == []
    notices = [
        m for m in running.emu.messages(running.world.practice) if "could not post" in m.text
    ]
    assert len(notices) == 1 and "Send Messages" in notices[0].text
    status = await running.emu.slash(running.world.alice, running.world.daily, "daily status")
    assert "Send Messages" in status.text
    running.emu.set_bot_channel_permissions(running.world.daily, deny=[])
    await running.emu.flush()
    outcomes = await running.running.services.daily.retry_failed()
    assert [o.reason for o in outcomes] == ["posted"]
    assert len(daily_posts(running)) == 1
    await running.running.services.daily.retry_failed()
    assert len(daily_posts(running)) == 1


async def test_discord_5xx_is_retried_without_doubling(running: App) -> None:
    await setup_daily(running)
    running.emu.fail_next("POST", "/channels/*/messages", 502, count=2)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    assert len(daily_posts(running)) == 1


async def test_status_and_question_for_anyone(running: App) -> None:
    empty = await running.emu.slash(running.world.alice, running.world.daily, "daily status")
    assert "not set up" in empty.text.lower() and "/daily setup" in empty.text
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    status = await running.emu.slash(running.world.alice, running.world.daily, "daily status")
    assert f"<#{running.world.daily.id}>" in status.text
    assert "09:00 Europe/Berlin" in status.text and "<t:" in status.text
    question = await running.emu.slash(running.world.alice, running.world.daily, "daily question")
    assert question.ephemeral and [b["label"] for b in question.original.buttons] == [
        "Answer",
        "Hint",
    ]


async def test_ping_role_is_the_only_ping(running: App) -> None:
    await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "daily setup",
        channel=running.world.daily,
        time="09:00",
        timezone="Europe/Berlin",
        ping_role=running.world.study,
    )
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    post = daily_posts(running)[0]
    assert post.pinged_roles == frozenset({running.world.study.id})
    assert not post.pinged_everyone and not post.pinged_users


async def test_a_form_opened_before_a_restart_is_graded_after_it(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    post = daily_posts(running)[0]
    opened = await running.emu.click(running.world.alice, post, label="Answer")
    assert opened.modal is not None
    await running.restart()
    submitted = await running.emu.submit_modal(
        running.world.alice, opened, {"answer": STRONG_ANSWER}
    )
    await submitted.wait_for_followups(1)
    assert "/5" in submitted.followups[-1].text
    store = running.running.services.store
    rows = list(await store.db.fetchall("SELECT content FROM answers"))
    assert [r["content"] for r in rows] == [STRONG_ANSWER]


async def test_an_empty_answer_is_refused_and_nothing_is_stored(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    post = daily_posts(running)[0]
    opened = await running.emu.click(running.world.alice, post, label="Answer")
    submitted = await running.emu.submit_modal(running.world.alice, opened, {"answer": "   "})
    await submitted.wait_for_followups(1)
    assert "empty" in submitted.followups[-1].text
    store = running.running.services.store
    assert list(await store.db.fetchall("SELECT * FROM answers")) == []


async def test_the_reveal_quotes_only_answers_shared_by_their_authors(running: App) -> None:
    await setup_daily(running)
    shared = await running.emu.slash(
        running.world.alice, running.world.daily, "daily share", share="on"
    )
    assert shared.ephemeral and "may be quoted" in shared.text
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    first = daily_posts(running)[0]
    alice_text = STRONG_ANSWER + " @everyone <@&" + str(running.world.study.id) + ">"
    await answer(running, running.world.alice, first, alice_text)
    await answer(running, running.world.bob, first, "Bob's private approach: BFS with a queue.")
    running.clock.advance(timedelta(days=1))
    await fire(running)
    assert first.thread is not None
    reveal = next(m for m in running.emu.messages(first.thread) if "Reveal" in m.text)
    assert "Shared answer · alice" in reveal.text and "visited set" in reveal.text
    assert "Bob's private approach" not in reveal.text
    assert not reveal.pinged_everyone and not reveal.pinged_roles and not reveal.pinged_users
    assert_requests_match_spec(running.emu.requests)


async def test_a_re_setup_after_todays_post_promises_tomorrow(running: App) -> None:
    await setup_daily(running)  # 08:00 Berlin now
    posted = await running.emu.slash(running.world.admin, running.world.practice, "daily now")
    await posted.wait_until(lambda r: "Posted today's question" in r.text)
    again = await setup_daily(running, time="08:01")
    tomorrow = int(at(2026, 11, 27, 7, 1).timestamp())
    assert f"<t:{tomorrow}:F>" in again.text and "already out" in again.text
    assert "/daily now" not in again.text
    status = await running.emu.slash(running.world.alice, running.world.daily, "daily status")
    assert f"<t:{tomorrow}:F>" in status.text
    running.clock.set(at(2026, 11, 26, 7, 1))
    await fire(running)
    assert len(daily_posts(running)) == 1


async def test_the_posted_question_reads_as_whole_paragraphs(running: App) -> None:
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    post = daily_posts(running)[0]
    description = str(post.embeds[0]["description"])
    question_id = str(post.embeds[0]["footer"]["text"]).rsplit(" · ", 1)[1]
    raw = running.running.services.catalog.bank.get(question_id)
    assert raw is not None
    fenced, previous = False, ""
    for line in description.splitlines():
        if line.startswith("```"):
            fenced, previous = not fenced, ""
            continue
        if not fenced and previous and line:
            assert LIST_ITEM.match(line), f"{previous!r} continues on {line!r}"
        previous = "" if fenced else line
    # The pack file wraps at about 100 characters; what is served has every paragraph on one
    # line already (unwrapping again changes nothing), whichever question the rotation drew.
    assert unwrap(raw.prompt) == raw.prompt
    assert description.startswith(raw.prompt[:200])
