"""Peer mock sessions end to end: the real bot, real SQLite, the emulator, a manual clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot.ui.peer_views import PEER_AI_NOTICE
from emulator import Channel, InteractionRecord, Member, Message
from emulator.fake_messages_api import FakeMessagesAPI
from tests.conftest import App
from tests.e2e.daily_helpers import setup_daily
from tests.e2e.grading_helpers import claude_grader
from tests.e2e.test_isolation import forge_click
from tests.e2e.waits import until
from tests.spec.checker import assert_requests_match_spec

pytestmark = pytest.mark.both_databases

MINUTE = timedelta(minutes=1)


async def join(
    app: App, member: Member, channel: Channel | None = None, **options: Any
) -> InteractionRecord:
    options.setdefault("round", "coding")
    record = await app.emu.slash(member, channel or app.world.practice, "peer join", **options)
    await record.wait_for_followups(1)
    return record


def reply_text(record: InteractionRecord) -> str:
    return record.followups[-1].text if record.followups else record.text


def only_thread(app: App, channel: Channel | None = None) -> Channel:
    threads = app.emu.threads(channel or app.world.practice)
    assert len(threads) == 1, threads
    return threads[0]


def start_message(app: App, thread: Channel) -> Message:
    return next(m for m in app.emu.messages(thread) if m.buttons)


async def notes_settled(app: App) -> None:
    """Until no session's AI notes are marked pending (the mark is cleared after the last note is
    sent, so a test that ends sooner would stop the bot mid-write)."""
    store = app.running.services.store

    async def settled() -> bool:
        row = await store.db.fetchone(
            "SELECT COUNT(*) AS n FROM peer_sessions WHERE notes_pending != 0"
        )
        return row["n"] == 0

    await until(settled, "the AI notes to be settled")


async def until_seen(app: App, thread: Channel, member: Member) -> None:
    """A message is handled in its own task: wait until it marked its author present."""
    store = app.running.services.store
    for _ in range(200):
        session = await store.peers.sessions.session_in_thread(thread.id)
        if session is not None and session.seen(member.id):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{member.name} was never marked present")


async def sweep(app: App) -> None:
    await app.running.services.peers.sweep.run()


async def matched(app: App, first: Member, second: Member) -> tuple[Channel, Message]:
    """`first` waits, `second` joins in #daily: their thread and its start message."""
    await join(app, first)
    await join(app, second, app.world.daily)
    thread = only_thread(app, app.world.daily)
    return thread, start_message(app, thread)


async def test_two_members_are_matched_in_a_private_thread_and_a_third_waits(
    running: App,
) -> None:
    world = running.world
    waiting = await join(running, world.alice, level="medium")
    text = reply_text(waiting)
    assert waiting.ephemeral and "#1" in text and "What happens next" in text
    assert running.emu.threads(world.practice) == []

    joined = await join(running, world.bob, world.daily, level="medium")
    assert "Matched with" in reply_text(joined) and world.alice.mention in reply_text(joined)
    # The thread opens where the second member joined, private, with both members in it.
    thread = only_thread(running, world.daily)
    assert thread.type == 12
    assert {world.alice.id, world.bob.id} <= set(thread.thread_members)
    start = start_message(running, thread)
    assert start.pinged_users == frozenset({world.alice.id, world.bob.id})
    assert not start.pinged_everyone and not start.pinged_roles
    assert start.allowed_mentions is not None
    assert {int(u) for u in start.allowed_mentions["users"]} == {world.alice.id, world.bob.id}
    assert start.allowed_mentions.get("roles", []) == []
    # Alice joined first, so she interviews first; the question is there for Bob.
    assert f"{world.alice.mention} interviews first" in start.text.replace("**", "")
    assert [b["label"] for b in start.buttons] == [
        "I'm here",
        "Interviewer guide",
        "Swap roles",
        "End session",
        "Report no-show",
    ]

    carol = running.emu.add_member(world.guild, "carol")
    third = await join(running, carol)
    assert "#1" in reply_text(third) and "of 1" in reply_text(third)
    status = await running.emu.slash(carol, world.practice, "peer status")
    assert status.ephemeral and "#1" in status.text and "What happens next" in status.text
    bob_status = await running.emu.slash(world.bob, world.practice, "peer status")
    assert "candidate" in bob_status.text and f"<#{thread.id}>" in bob_status.text
    assert_requests_match_spec(running.emu.requests)


def all_text(record: InteractionRecord) -> str:
    return "\n".join(m.text for m in record.messages)


async def question_of(app: App, thread: Channel, half: int = 1) -> Any:
    store = app.running.services.store
    session = await store.peers.sessions.session_in_thread(thread.id)
    assert session is not None
    question = app.running.services.catalog.bank.get(session.question_ids[half - 1])
    assert question is not None
    return question


async def test_the_guide_is_shown_only_to_the_interviewer(running: App) -> None:
    world = running.world
    thread, start = await matched(running, world.alice, world.bob)
    question = await question_of(running, thread)
    assert question.prompt[:100] in start.text

    guide = await running.emu.click(world.alice, start, label="Interviewer guide")
    # The rubric criteria and follow-ups are quoted as written in the pack.
    expected = [c.name for c in question.rubric] + [c.strong for c in question.rubric]
    expected += [*question.follow_ups, question.reference_outline[:200]]
    await guide.wait_until(lambda r: all(s in all_text(r) for s in expected))
    assert all(m.ephemeral for m in guide.messages)
    assert "Only you see this" in guide.text

    refused = await running.emu.click(world.bob, start, label="Interviewer guide")
    assert refused.ephemeral and "Only the interviewer" in refused.text
    assert question.rubric[0].strong not in refused.text
    # A moderator who can see the private thread is refused too.
    mod = running.emu.add_member(world.guild, "mod", permissions=["VIEW_CHANNEL", "MANAGE_THREADS"])
    outsider = await running.emu.click(mod, start, label="Interviewer guide")
    assert outsider.ephemeral and "belongs to" in outsider.text
    public = [m for m in running.emu.messages(thread) if question.rubric[0].strong in m.text]
    assert public == []


async def fill_feedback(app: App, giver: Member, message: Message, score: int) -> InteractionRecord:
    opened = await app.emu.click(giver, message, label="Give feedback")
    assert opened.modal is not None, opened.text
    template = next(i for i in opened.modal.inputs if i["custom_id"] == "scores")["value"]
    filled = "\n".join(f"{line}{score}" for line in template.splitlines())
    submitted = await app.emu.submit_modal(
        giver,
        opened,
        {"scores": filled, "went_well": "Clear structure.", "to_improve": "State complexity."},
    )
    await submitted.wait_for_followups(1)
    return submitted


async def test_swap_end_and_two_way_feedback(running: App) -> None:
    world = running.world
    thread, start = await matched(running, world.alice, world.bob)
    first_question = await question_of(running, thread)
    await running.emu.click(world.alice, start, label="I'm here")
    await running.emu.post_message(world.bob, thread, "hi, ready when you are")
    await until_seen(running, thread, world.bob)
    running.clock.advance(25 * MINUTE)
    # Bob wrote in the thread, so he turned up: no no-show can be reported.
    present = await running.emu.click(world.alice, start, label="Report no-show")
    assert present.ephemeral and "not a no-show" in present.text

    swap = await running.emu.click(world.bob, start, label="Swap roles")
    assert not swap.ephemeral and "Roles swapped" in swap.text
    second_half = swap.original
    assert second_half is not None
    second_question = await question_of(running, thread, half=2)
    assert second_question.id != first_question.id
    assert second_question.title in second_half.text
    assert [b["label"] for b in second_half.buttons] == ["Interviewer guide", "End session"]
    assert "+15" in swap.text and "+10" in swap.text  # points for the first half
    again = await running.emu.click(world.alice, start, label="Swap roles")
    assert again.ephemeral and "already swapped" in again.text

    # Now Bob interviews: the guide follows the roles and the new question.
    bob_guide = await running.emu.click(world.bob, start, label="Interviewer guide")
    await bob_guide.wait_until(lambda r: second_question.rubric[0].strong in all_text(r))
    alice_guide = await running.emu.click(world.alice, second_half, label="Interviewer guide")
    assert "Only the interviewer" in alice_guide.text

    running.clock.advance(30 * MINUTE)
    ended = await running.emu.click(world.alice, second_half, label="End session")
    assert not ended.ephemeral and "Session ended" in ended.text
    end_message = ended.original
    assert end_message is not None and [b["label"] for b in end_message.buttons] == [
        "Give feedback"
    ]

    running.emu.close_dms(world.bob)
    from_bob = await fill_feedback(running, world.bob, end_message, 4)
    assert "sent to" in reply_text(from_bob) and "+5 pts" in reply_text(from_bob)
    alice_dms = running.emu.messages(running.emu.dm_channel(world.alice))
    assert len(alice_dms) == 1
    dm = alice_dms[0].text
    assert second_question.title in dm and f"{second_question.rubric[0].name}" in dm
    assert "4/5" in dm and "Clear structure." in dm

    from_alice = await fill_feedback(running, world.alice, end_message, 3)
    assert "DMs closed" in reply_text(from_alice)
    twice = await running.emu.click(world.alice, end_message, label="Give feedback")
    assert twice.modal is None and "already sent" in twice.text
    status = await running.emu.slash(world.bob, world.practice, "peer status")
    assert "Peer feedback" in status.text and first_question.title in status.text
    assert "3/5" in status.text
    shown_again = await running.emu.slash(world.bob, world.practice, "peer status")
    assert "Peer feedback" not in shown_again.text

    rows = await running.running.services.store.db.fetchall(
        "SELECT user_id, kind, ref, amount FROM points ORDER BY user_id, kind, ref"
    )
    earned = {(r["user_id"], r["kind"], r["ref"]): r["amount"] for r in rows}
    sid = (
        await running.running.services.store.peers.sessions.session_in_thread(thread.id)
    ).session_id
    assert earned == {
        (world.alice.id, "peer_candidate", f"{sid}:2"): 10,
        (world.alice.id, "peer_feedback", str(sid)): 5,
        (world.alice.id, "peer_interviewer", f"{sid}:1"): 15,
        (world.bob.id, "peer_candidate", f"{sid}:1"): 10,
        (world.bob.id, "peer_feedback", str(sid)): 5,
        (world.bob.id, "peer_interviewer", f"{sid}:2"): 15,
    }
    feedback = await running.running.services.store.db.fetchall(
        "SELECT giver_id, receiver_id, question_id FROM peer_feedback ORDER BY giver_id"
    )
    assert {(r["giver_id"], r["receiver_id"], r["question_id"]) for r in feedback} == {
        (world.alice.id, world.bob.id, first_question.id),
        (world.bob.id, world.alice.id, second_question.id),
    }
    assert_requests_match_spec(running.emu.requests)


async def test_a_bad_score_is_explained_and_nothing_is_saved(running: App) -> None:
    world = running.world
    _, start = await matched(running, world.alice, world.bob)
    ended = await running.emu.click(world.alice, start, label="End session")
    assert "No points" in ended.text  # nobody checked in and no time passed
    assert ended.original is not None
    opened = await running.emu.click(world.alice, ended.original, label="Give feedback")
    assert opened.modal is not None
    bad = await running.emu.submit_modal(world.alice, opened, {"scores": "Charisma: 9"})
    await bad.wait_for_followups(1)
    assert "not one of this question's criteria" in reply_text(bad)
    assert (
        list(await running.running.services.store.db.fetchall("SELECT * FROM peer_feedback")) == []
    )
    # After the end, the interviewer may reread the guide to score; the candidate still may not.
    reread = await running.emu.click(world.alice, start, label="Interviewer guide")
    assert "Interviewer guide" in reread.text
    peek = await running.emu.click(world.bob, start, label="Interviewer guide")
    assert peek.ephemeral and "did not interview" in peek.text
    # Without a swap Alice was never the candidate, so Bob has nothing to rate.
    none_to_rate = await running.emu.click(world.bob, ended.original, label="Give feedback")
    assert none_to_rate.modal is None and "was not the candidate" in none_to_rate.text


async def test_a_no_show_is_recorded_and_the_reporter_goes_to_the_front(running: App) -> None:
    world = running.world
    dave = running.emu.add_member(world.guild, "dave")
    await join(running, dave, when="22:00-23:30")  # waiting, but not free now
    thread, start = await matched(running, world.alice, world.bob)
    await running.emu.click(world.alice, start, label="I'm here")

    early = await running.emu.click(world.alice, start, label="Report no-show")
    assert early.ephemeral and "Give" in early.text
    running.clock.advance(11 * MINUTE)
    await sweep(running)
    # (A short question's "halfway" reminder may be due as well.)
    reminder = next(m for m in running.emu.messages(thread) if "has not turned up" in m.text)
    assert reminder.pinged_users == frozenset({world.bob.id})

    reported = await running.emu.click(world.alice, start, label="Report no-show")
    assert not reported.ephemeral
    assert "did not show up" in reported.text and "front" in reported.text
    await reported.wait_for_followups(1)
    assert "when someone joins" in reply_text(reported)
    session = await running.running.services.store.peers.sessions.session_in_thread(thread.id)
    assert session is not None and session.no_show_user_id == world.bob.id
    assert session.status == "no_show"
    status = await running.emu.slash(world.alice, world.practice, "peer status")
    assert "#1" in status.text  # ahead of Dave, who joined before her
    dave_status = await running.emu.slash(dave, world.practice, "peer status")
    assert "#2" in dave_status.text
    bob_status = await running.emu.slash(world.bob, world.practice, "peer status")
    assert "No-shows recorded" in bob_status.text

    # The next member who joins is matched with Alice first.
    erin = running.emu.add_member(world.guild, "erin")
    rematch = await join(running, erin)
    assert world.alice.mention in reply_text(rematch)
    assert len(running.emu.threads(world.practice)) == 1


async def test_a_recent_partner_is_avoided_when_someone_else_waits(running: App) -> None:
    world = running.world
    thread, start = await matched(running, world.alice, world.bob)
    await running.emu.click(world.alice, start, label="End session")
    running.clock.advance(24 * 60 * MINUTE)  # the next day

    carol = running.emu.add_member(world.guild, "carol")
    await join(running, world.bob, when="18:00-20:00")
    await join(running, carol, when="20:00-22:00", level="hard")
    # Alice fits both windows; Bob joined earlier and shares her level, but she met him yesterday.
    third = await join(running, world.alice, when="18:00-22:00")
    assert f"Matched with {carol.mention}" in reply_text(third)
    assert "booked for" in reply_text(third)

    # With nobody else waiting, a recent partner is still better than no session.
    carol_thread = next(t for t in running.emu.threads(world.practice) if t.id != thread.id)
    await running.emu.click(carol, start_message(running, carol_thread), label="End session")
    again = await join(running, world.alice, when="18:00-22:00")
    assert f"Matched with {world.bob.mention}" in reply_text(again)


async def test_entries_expire_and_the_member_is_told(running: App) -> None:
    world = running.world
    await join(running, world.alice)
    running.clock.advance(61 * MINUTE)
    report = await running.running.services.peers.sweep.run()
    assert report.expired == 1
    dm = running.emu.messages(running.emu.dm_channel(world.alice))[-1]
    assert "expired" in dm.text
    status = await running.emu.slash(world.alice, world.practice, "peer status")
    assert "not in the queue" in status.text
    late = await join(running, world.bob)
    assert "#1" in reply_text(late) and running.emu.threads(world.practice) == []
    assert (await running.running.services.peers.sweep.run()).expired == 0


async def test_a_session_survives_a_restart(running: App) -> None:
    world = running.world
    _, start = await matched(running, world.alice, world.bob)
    await running.emu.click(world.bob, start, label="I'm here")
    await running.emu.click(world.alice, start, label="I'm here")
    running.clock.advance(20 * MINUTE)
    await running.restart()

    guide = await running.emu.click(world.alice, start, label="Interviewer guide")
    assert "Interviewer guide" in guide.text
    swap = await running.emu.click(world.alice, start, label="Swap roles")
    assert "Roles swapped" in swap.text and "+15" in swap.text
    await running.restart()
    running.clock.advance(20 * MINUTE)
    assert swap.original is not None
    ended = await running.emu.click(world.bob, swap.original, label="End session")
    assert ended.original is not None
    sent = await fill_feedback(running, world.alice, ended.original, 5)
    assert "sent to" in reply_text(sent)


async def test_a_forgotten_session_is_closed_by_the_sweep(running: App) -> None:
    world = running.world
    thread, start = await matched(running, world.alice, world.bob)
    question = await question_of(running, thread)
    await running.emu.click(world.alice, start, label="I'm here")
    await running.emu.click(world.bob, start, label="I'm here")
    running.clock.advance(timedelta(minutes=question.time_box_minutes, hours=2))
    report = await running.running.services.peers.sweep.run()
    assert report.closed == 1
    closing = running.emu.messages(thread)[-1]
    assert "closed automatically" in closing.text
    assert [b["label"] for b in closing.buttons] == ["Give feedback"]
    assert (await running.running.services.peers.sweep.run()).closed == 0
    late = await running.emu.click(world.bob, start, label="Swap roles")
    assert late.ephemeral and "ended" in late.text


async def test_booked_sessions_ping_at_the_start_and_reminders_come_once(running: App) -> None:
    world = running.world
    await setup_daily(running)  # windows are read in the server's timezone, Europe/Berlin
    await join(running, world.alice, when="18:00-20:00")
    booked = await join(running, world.bob, when="17:00-19:00")
    assert "booked for" in reply_text(booked)
    thread = only_thread(running)
    question = await question_of(running, thread)
    before = len(running.emu.messages(thread))
    await sweep(running)
    assert len(running.emu.messages(thread)) == before  # nothing due before 18:00 Berlin

    running.clock.set(running.clock.now().replace(hour=17, minute=0))
    await sweep(running)
    await sweep(running)
    ping = running.emu.messages(thread)[-1]
    assert "starts now" in ping.text
    assert ping.pinged_users == frozenset({world.alice.id, world.bob.id})
    assert len(running.emu.messages(thread)) == before + 1

    start = start_message(running, thread)
    await running.emu.click(world.alice, start, label="I'm here")
    await running.emu.post_message(world.bob, thread, "here!")
    await until_seen(running, thread, world.bob)
    box = timedelta(minutes=question.time_box_minutes)
    running.clock.advance(box / 2)
    await sweep(running)
    assert "Halfway" in running.emu.messages(thread)[-1].text
    running.clock.advance(box / 2)
    await sweep(running)
    await sweep(running)
    later = [m for m in running.emu.messages(thread)[before:] if m.author.bot]
    assert ["Halfway" in m.text for m in later] == [False, True, False]
    assert "Time is up" in later[-1].text and "Swap roles" in later[-1].text
    assert not any(m.pinged_users for m in later[1:])
    # A reminder the bot would send long after its time (it was down) is skipped.
    swap = await running.emu.click(world.bob, start, label="Swap roles")
    second_box = timedelta(minutes=(await question_of(running, thread, 2)).time_box_minutes)
    running.clock.advance(2 * second_box + MINUTE)
    await sweep(running)
    assert running.emu.messages(thread)[-1] == swap.original


async def test_refusals_are_ephemeral_and_change_nothing(running: App) -> None:
    world = running.world
    voice = await join(running, world.alice, world.voice)
    assert voice.ephemeral and "not a text channel" in reply_text(voice)
    bad_when = await join(running, world.alice, when="whenever")
    assert "not a time window" in reply_text(bad_when)
    left = await running.emu.slash(world.alice, world.practice, "peer leave")
    assert left.ephemeral and "not in the peer queue" in left.text
    await join(running, world.alice)
    twice = await join(running, world.alice, round="behavioral")
    assert "already in the queue" in reply_text(twice)
    left = await running.emu.slash(world.alice, world.practice, "peer leave")
    assert "You left the queue" in left.text
    rows = await running.running.services.store.db.fetchall(
        "SELECT status FROM peer_queue ORDER BY entry_id"
    )
    assert [r["status"] for r in rows] == ["left"]


async def test_admins_choose_the_channel_and_times(running: App) -> None:
    world = running.world
    refused = await running.emu.slash(world.alice, world.practice, "peer setup", expire_after=30)
    assert refused.ephemeral and "Manage Server" in refused.text
    announce = running.emu.add_announcement_channel(world.guild, "news")
    not_text = await running.emu.slash(world.admin, world.practice, "peer setup", channel=announce)
    assert "not a text channel" in not_text.text
    done = await running.emu.slash(
        world.admin, world.practice, "peer setup", channel=world.daily, no_show_after=5
    )
    assert "5 min" in done.text and f"<#{world.daily.id}>" in done.text
    await join(running, world.alice, world.practice)
    await join(running, world.bob, world.voice)  # the configured channel is used instead
    assert len(running.emu.threads(world.daily)) == 1


async def test_ai_notes_for_each_candidate_with_message_content(app: App) -> None:
    world = app.world
    async with FakeMessagesAPI() as fake:
        app.grader = claude_grader(fake)
        await app.start(bot_message_content=True)
        assert app.running.services.peers.notes.enabled
        thread, start = await matched(app, world.alice, world.bob)
        # Both members are told in the first message, before anything is sent, and may say no.
        assert PEER_AI_NOTICE in start.text and "No AI notes" in [b["label"] for b in start.buttons]
        await app.emu.post_message(world.alice, thread, "How would you find the affected boards?")
        await app.emu.post_message(world.bob, thread, "BFS from the start with a visited set.")
        app.clock.advance(20 * MINUTE)
        swap = await app.emu.click(world.bob, start, label="Swap roles")
        await app.emu.post_message(world.bob, thread, "What is the complexity of your approach?")
        await app.emu.post_message(world.alice, thread, "O(V + E) time, one pass over the edges.")
        app.clock.advance(20 * MINUTE)
        assert swap.original is not None
        await app.emu.click(world.alice, swap.original, label="End session")

        def notes(member: Member) -> list[Message]:
            dms = app.emu.messages(app.emu.dm_channel(member))
            return [m for m in dms if "AI notes" in m.text]

        await app.emu.wait_for(lambda: bool(notes(world.alice) and notes(world.bob)))
        await notes_settled(app)
        assert "Overall:" in notes(world.bob)[0].text
        transcripts = [r.user_text for r in fake.requests]
        assert len(transcripts) == 2
        # Each candidate is graded on their own half: Bob on his BFS, Alice on her complexity.
        assert "BFS from the start" in transcripts[0] and "O(V + E)" not in transcripts[0]
        assert "O(V + E)" in transcripts[1] and "BFS from the start" not in transcripts[1]


async def test_either_member_can_say_no_to_ai_notes_and_nothing_is_sent(app: App) -> None:
    world = app.world
    async with FakeMessagesAPI() as fake:
        app.grader = claude_grader(fake)
        await app.start(bot_message_content=True)
        thread, start = await matched(app, world.alice, world.bob)
        await app.emu.post_message(world.bob, thread, "BFS from the start with a visited set.")
        # Someone outside the session cannot decide for it.
        outsider = await forge_click(app, world.admin, start, start.buttons[-1]["custom_id"])
        assert outsider.ephemeral
        declined = await app.emu.click(world.bob, start, label="No AI notes")
        assert "nothing typed here will be sent" in declined.text and not declined.ephemeral
        app.clock.advance(20 * MINUTE)
        ended = await app.emu.click(world.alice, start, label="End session")
        assert "Session ended" in ended.text
        await app.emu.slash(world.bob, world.practice, "peer status")
        assert fake.requests == []
        dms = app.emu.messages(app.emu.dm_channel(world.bob))
        assert not [m for m in dms if "AI notes" in m.text]


async def test_no_ai_notes_without_message_content(app: App) -> None:
    world = app.world
    async with FakeMessagesAPI() as fake:
        app.grader = claude_grader(fake)
        await app.start()
        thread, start = await matched(app, world.alice, world.bob)
        await app.emu.post_message(world.bob, thread, f"{app.emu.bot_user.mention} BFS, I think.")
        assert not app.running.services.peers.notes.enabled
        assert PEER_AI_NOTICE not in start.text and "No AI notes" not in str(start.buttons)
        ended = await app.emu.click(world.alice, start, label="End session")
        assert "Session ended" in ended.text
        await app.emu.slash(world.bob, world.practice, "peer status")
        assert fake.requests == []


async def test_no_feedback_form_for_a_partner_who_deleted_their_data(running: App) -> None:
    world = running.world
    thread, start = await matched(running, world.alice, world.bob)
    await running.emu.click(world.alice, start, label="I'm here")
    await running.emu.post_message(world.bob, thread, "ready")
    await until_seen(running, thread, world.bob)
    running.clock.advance(25 * MINUTE)
    ended = await running.emu.click(world.alice, start, label="End session")
    assert ended.original is not None
    # Alice interviewed Bob; Bob deletes his data before she rates his answer.
    deletion = await running.emu.slash(world.bob, world.daily, "privacy delete")
    await deletion.wait_for_response()
    prompt = deletion.original or (await deletion.wait_for_followups(1))[-1]
    await running.emu.click(world.bob, prompt, label="Delete my data")
    await running.emu.wait_for(lambda: prompt.edit_count >= 1)  # the prompt became the result
    refused = await running.emu.click(world.alice, ended.original, label="Give feedback")
    assert refused.ephemeral and "deleted their data" in refused.text
    rows = await running.running.services.store.db.fetchall("SELECT * FROM peer_feedback")
    assert list(rows) == []
