"""`/privacy` end to end: the real bot through the emulator on a real SQLite file. Export,
delete (with its confirm button), hide/show, the one-time AI notice, and the purge of a guild the
bot left."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from bot.ui.privacy_notice import AI_NOTICE_TEXT
from emulator import Channel, InteractionRecord, Member, Message
from emulator.fake_messages_api import FakeMessagesAPI
from tests.conftest import App, build_world
from tests.e2e.daily_helpers import STRONG_ANSWER, answer, at, daily_posts, fire, setup_daily
from tests.e2e.grading_helpers import claude_grader, rows
from tests.e2e.waits import until
from tests.spec.checker import assert_requests_match_spec

pytestmark = pytest.mark.both_databases

ALICE_TEXT = STRONG_ANSWER + " Alice's own words: lighthouse."
BOB_TEXT = STRONG_ANSWER + " Bob's own words: marmalade."


async def post_daily(app: App) -> Message:
    await setup_daily(app)
    app.clock.set(at(2026, 11, 26, 8, 0))
    await fire(app)
    return daily_posts(app)[0]


async def export_of(
    app: App, member: Member, channel: Channel | None = None
) -> tuple[InteractionRecord, dict[str, Any]]:
    record = await app.emu.slash(member, channel or app.world.daily, "privacy export")
    [message] = await record.wait_for_followups(1)
    [attachment] = message.attachments
    assert attachment.filename.endswith(".json")
    return record, json.loads(attachment.data)


async def board(app: App, member: Member) -> str:
    return (await app.emu.slash(member, app.world.daily, "leaderboard")).text


def modal_notices(opened: InteractionRecord) -> list[str]:
    assert opened.modal is not None, opened.text
    return [str(c["content"]) for c in opened.modal.components if c.get("type") == 10]


async def test_export_is_an_ephemeral_json_file_of_only_the_members_data(running: App) -> None:
    app, alice, bob = running, running.world.alice, running.world.bob
    post = await post_daily(app)
    await answer(app, alice, post, ALICE_TEXT)
    await answer(app, bob, post, BOB_TEXT)
    # Alice in a second server, where she practises.
    other = build_world(app.emu, "Other Hall")
    alice_there = app.emu.add_member(other.guild, "alice", user=alice.user)
    await app.emu.flush()
    offer = await app.emu.slash(alice_there, other.practice, "practice")
    assert offer.original is not None, offer.text
    opened = await app.emu.click(alice_there, offer.original, label="Answer")
    done = await app.emu.submit_modal(alice_there, opened, {"answer": "Elsewhere: quokka."})
    await done.wait_for_followups(1)

    record, exported = await export_of(app, alice)

    assert record.ephemeral and record.followups[-1].ephemeral
    assert "1 answer" in record.followups[-1].text
    assert (exported["guild_id"], exported["user_id"]) == (app.world.guild.id, alice.id)
    [stored] = exported["answers"]
    assert stored["content"] == ALICE_TEXT and stored["grades"][0]["detail"]["criteria"]
    assert exported["points"] and exported["member"][0]["hidden"] == 0
    text = json.dumps(exported)
    assert "marmalade" not in text and str(bob.id) not in text  # nothing of Bob
    assert "quokka" not in text and str(other.guild.id) not in text  # nothing of the other server
    _, there = await export_of(app, alice_there, other.daily)
    assert [a["content"] for a in there["answers"]] == ["Elsewhere: quokka."]
    assert_requests_match_spec(app.emu.requests)


async def press_as(app: App, member: Member, message: Message, label: str) -> InteractionRecord:
    """Press a button on someone else's ephemeral message. Discord shows it to its owner only,
    so this stands for a forged interaction that carries the same custom_id."""
    stored = app.emu.get_message(message.id)
    assert stored is not None
    owner = stored.visible_to
    stored.visible_to = member.id
    try:
        return await app.emu.click(member, stored, label=label)
    finally:
        stored.visible_to = owner


async def test_delete_takes_the_members_own_confirmation_and_the_boards_recompute(
    running: App,
) -> None:
    app, alice, bob = running, running.world.alice, running.world.bob
    post = await post_daily(app)
    await answer(app, alice, post, ALICE_TEXT)
    await answer(app, bob, post, BOB_TEXT)
    assert f"<@{alice.id}>" in await board(app, bob)

    asked = await app.emu.slash(alice, app.world.daily, "privacy delete")
    assert asked.ephemeral and "1 answer" in asked.text and "pts" in asked.text
    prompt = asked.original
    assert prompt is not None and {b.get("label") for b in prompt.buttons} == {
        "Delete my data",
        "Keep it",
    }

    forged = await press_as(app, bob, prompt, "Delete my data")
    assert forged.ephemeral and "not yours" in forged.text
    assert len(await rows(app, "SELECT * FROM answers WHERE user_id = ?", alice.id)) == 1

    confirmed = await app.emu.click(alice, prompt, label="Delete my data")
    await confirmed.wait_for_response()
    await app.emu.wait_for(
        lambda: "Done" in (app.emu.get_message(prompt.id) or prompt).content,
        what="the prompt to show the result",
    )
    result = app.emu.get_message(prompt.id)
    assert result is not None and result.buttons == [] and "1 answer" in result.content

    for table in ("answers", "points", "points_totals", "members", "hint_uses"):
        assert await rows(app, f"SELECT * FROM {table} WHERE user_id = ?", alice.id) == []
    after = await board(app, bob)
    assert f"<@{alice.id}>" not in after and "`#1` 🥇" in after and f"<@{bob.id}>" in after
    _, exported = await export_of(app, alice)
    assert exported["answers"] == [] and exported["points"] == []
    again = await app.emu.slash(alice, app.world.daily, "privacy delete")
    assert "nothing to delete" in again.text and again.original is not None
    assert again.original.buttons == []
    # Bob's data is all there.
    assert len(await rows(app, "SELECT * FROM answers WHERE user_id = ?", bob.id)) == 1
    assert_requests_match_spec(app.emu.requests)


async def test_keep_it_changes_nothing(running: App) -> None:
    app, alice = running, running.world.alice
    post = await post_daily(app)
    await answer(app, alice, post, ALICE_TEXT)
    asked = await app.emu.slash(alice, app.world.daily, "privacy delete")
    assert asked.original is not None
    kept = await app.emu.click(alice, asked.original, label="Keep it")
    assert "Nothing was deleted" in kept.text
    assert len(await rows(app, "SELECT * FROM answers WHERE user_id = ?", alice.id)) == 1


async def test_hide_and_show_take_the_member_off_the_board_and_back(running: App) -> None:
    app, alice, bob = running, running.world.alice, running.world.bob
    post = await post_daily(app)
    await answer(app, alice, post, ALICE_TEXT)
    await answer(app, bob, post, BOB_TEXT)

    hidden = await app.emu.slash(alice, app.world.daily, "privacy hide")
    assert hidden.ephemeral and "hidden" in hidden.text
    again = await app.emu.slash(alice, app.world.daily, "privacy hide")
    assert "already hidden" in again.text
    assert f"<@{alice.id}>" not in await board(app, bob)
    assert "hidden from leaderboards" in await board(app, alice)
    refused = await app.emu.slash(bob, app.world.daily, "rank", member=alice)
    await refused.wait_for_followups(1)
    assert refused.ephemeral and "private" in refused.followups[-1].text

    shown = await app.emu.slash(alice, app.world.daily, "privacy show")
    assert shown.ephemeral and "back" in shown.text
    assert f"<@{alice.id}>" in await board(app, bob)
    not_hidden = await app.emu.slash(bob, app.world.daily, "privacy show")
    assert "were not hidden" in not_hidden.text


async def test_privacy_commands_in_dms_say_where_they_work(running: App) -> None:
    dm = running.emu.dm_channel(running.world.alice)
    record = await running.emu.slash(running.world.alice, dm, "privacy export")
    assert record.ephemeral and "inside a server" in record.text


async def test_the_ai_notice_comes_once_before_the_first_answer(
    app: App, fake: FakeMessagesAPI
) -> None:
    app.grader = claude_grader(fake)
    await app.start()
    alice, bob = app.world.alice, app.world.bob
    post = await post_daily(app)

    first = await app.emu.click(alice, post, label="Answer")
    assert modal_notices(first) == [AI_NOTICE_TEXT] and "Anthropic" in AI_NOTICE_TEXT
    assert fake.requests == []  # shown before anything was sent
    submitted = await app.emu.submit_modal(alice, first, {"answer": ALICE_TEXT})
    await submitted.wait_for_followups(1)
    assert len(fake.requests) == 1
    assert modal_notices(await app.emu.click(alice, post, label="Answer")) == []
    offer = await app.emu.slash(alice, app.world.practice, "practice")
    assert offer.original is not None
    assert modal_notices(await app.emu.click(alice, offer.original, label="Answer")) == []
    [seen] = await rows(app, "SELECT user_id, notice FROM member_notices")
    assert seen == {"user_id": alice.id, "notice": "ai_grading"}

    # Bob's first answer is a mock round: the notice comes with its thread, once.
    started = await app.emu.slash(bob, app.world.practice, "mock start", round="behavioral")
    await started.wait_for_followups(1)
    assert "Anthropic" in started.followups[-1].text

    async def bob_has_seen_it() -> bool:
        notices = await rows(app, "SELECT user_id FROM member_notices")
        return {"user_id": bob.id} in notices

    # Recorded once the reply is sent (a failed reply leaves it due), so after the reply arrives.
    await until(bob_has_seen_it, "bob's notice to be recorded")
    refused = await app.emu.slash(bob, app.world.practice, "mock start", round="coding")
    await refused.wait_for_followups(1)
    assert "Anthropic" not in refused.followups[-1].text
    assert modal_notices(await app.emu.click(bob, post, label="Answer")) == []
    assert_requests_match_spec(app.emu.requests)


async def test_no_notice_with_the_offline_grader(running: App) -> None:
    post = await post_daily(running)
    opened = await running.emu.click(running.world.alice, post, label="Answer")
    assert modal_notices(opened) == []
    assert await rows(running, "SELECT * FROM member_notices") == []


async def test_a_guild_left_is_purged_after_the_retention_and_rejoining_cancels(
    running: App,
) -> None:
    app, alice = running, running.world.alice
    guild = app.world.guild
    post = await post_daily(app)
    await answer(app, alice, post, ALICE_TEXT)
    scheduler = app.running.services.scheduler
    assert scheduler.scheduler.get_job("privacy-purge") is not None
    privacy = app.running.services.privacy

    await app.emu.remove_guild(guild)
    await until(privacy_pending(app), "the departure")
    assert scheduler.next_run(guild.id) is None
    [left] = await rows(app, "SELECT * FROM guild_departures")
    assert left["guild_id"] == guild.id

    # Back within the retention: nothing is purged, the daily post is scheduled again.
    app.clock.advance(timedelta(days=20))
    guild.removed = False
    # The bot is added back: GUILD_CREATE without `unavailable` (the gateway takes a function
    # of the session for per-session payloads).
    app.emu.dispatch(
        "GUILD_CREATE",
        lambda session: app.emu.events.guild_create(guild, session, joined=True),  # type: ignore[arg-type]
        guild_id=guild.id,
    )
    await until(lambda: scheduler.next_run(guild.id) is not None, "rescheduling")
    assert await rows(app, "SELECT * FROM guild_departures") == []
    app.clock.advance(timedelta(days=20))
    assert await privacy.purge_due() == []

    # Removed again: 30 days later (the default retention) every row of the guild is gone.
    await app.emu.remove_guild(guild)
    await until(privacy_pending(app), "the departure")
    app.clock.advance(timedelta(days=29))
    assert await privacy.purge_due() == []
    assert len(await rows(app, "SELECT * FROM answers")) == 1
    app.clock.advance(timedelta(days=1, minutes=1))
    assert await privacy.purge_due() == [guild.id]
    for table in ("guilds", "daily_posts", "answers", "grades", "points", "members"):
        assert await rows(app, f"SELECT * FROM {table}") == [], table


async def test_leaving_and_rejoining_while_offline_is_noticed_at_start(app: App) -> None:
    await app.start()
    guild = app.world.guild
    await setup_daily(app)
    await app.stop()
    guild.removed = True  # removed while the bot was down: no event reaches it
    await app.start()
    await until(privacy_pending(app), "the departure")
    assert app.running.services.scheduler.next_run(guild.id) is None

    await app.stop()
    guild.removed = False  # added back while the bot was down
    await app.start()
    await until(privacy_pending(app, expected=False), "the cancellation")
    assert app.running.services.scheduler.next_run(guild.id) is not None


def privacy_pending(app: App, *, expected: bool = True) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        pending = await app.running.services.store.privacy.pending_departures()
        return (app.world.guild.id in pending) == expected

    return check
