"""Bad input in peer sessions, mock rounds and grading limits, fuzzed with hypothesis through the
real command paths (one bot per test function; see test_fuzz.py for the daily paths).

Nothing crashes (an ERROR log fails the test), each refusal is ephemeral and says something,
nothing the bot sends pings anyone a member typed, and the database holds exactly what a valid
input should have stored.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.mock import MAX_CANDIDATE_TURNS
from bot.domain.peer_feedback import parse_scores
from bot.domain.peer_matching import DEFAULT_EXPIRY_MINUTES, parse_when
from bot.domain.spend import MAX_GUILD_DAILY_TOKENS, MAX_MEMBER_DAILY_ANSWERS
from bot.ui.mock_text import strip_mention
from emulator import Channel, InteractionRecord, InvalidInvocation, Message
from tests.conftest import App
from tests.e2e.grading_helpers import rows
from tests.e2e.test_fuzz import (
    ANY_TEXT,
    FAST,
    ZERO_WIDTH,
    accepted,
    assert_clear_refusal,
    assert_no_pings,
    lift_option_checks,
    nasty,
    texts,
    visible,
)
from tests.e2e.test_mock import bot_messages, start_round

pytestmark = pytest.mark.both_databases

MESSAGE_LIMIT = 2000
FEEDBACK_LIMIT = 1000


def final(record: InteractionRecord) -> InteractionRecord | Message:
    """What the member reads: the last followup of a deferred reply, else the reply."""
    return record.followups[-1] if record.followups else record


# ---------------------------------------------------------------------------- /peer join when


@given(
    when=st.one_of(
        texts(40),
        st.builds(
            "{}{:02d}:{:02d}-{:02d}:{:02d}".format,
            st.sampled_from(["", "today ", "tomorrow ", "sat ", "sunday ", "xyz "]),
            st.integers(0, 29),
            st.integers(0, 70),
            st.integers(0, 29),
            st.integers(0, 70),
        ),
    )
)
@example(when="now")
@example(when="18:00-20:00")
@example(when="tomorrow 19:00 to 21:00")
@example(when="１８:００-２０:００")  # full-width digits
@example(when="now\u200b")
@example(when=ZERO_WIDTH)
@example(when="@everyone <@&{role}> <@{user}>")
@example(when="'; DROP TABLE peer_queue; --")
@example(when="25:00-26:00")
@example(when="mon 23:50-00:10")
@FAST
async def test_peer_join_takes_any_when(running: App, when: str) -> None:
    world = running.world
    when = nasty(running, when)[:40]
    try:
        joined = await running.emu.slash(
            world.alice, world.practice, "peer join", round="coding", when=when
        )
    except InvalidInvocation:
        return  # Discord itself refuses it (blank)
    await joined.wait_until(lambda r: bool(r.followups) or bool(r.text.strip()))
    reply = final(joined)
    assert_no_pings(joined.messages)
    waiting = await rows(running, "SELECT * FROM peer_queue WHERE status = 'waiting'")
    valid = accepted(
        lambda text: parse_when(
            text,
            now=running.clock.now(),
            zone=ZoneInfo("UTC"),  # the server has no daily schedule, so no timezone
            wait=timedelta(minutes=DEFAULT_EXPIRY_MINUTES),
        ),
        when,
    )
    if valid:
        assert reply.ephemeral and "in the queue" in reply.text, reply.text
        assert [w["user_id"] for w in waiting] == [world.alice.id]
        left = await running.emu.slash(world.alice, world.practice, "peer leave")
        assert "left the queue" in left.text
    else:
        assert_clear_refusal(joined)
        assert "not a" in reply.text or "window" in reply.text or "week" in reply.text
        assert waiting == []


# ---------------------------------------------------------------------------- mock turns


async def room_for_a_turn(app: App) -> Channel:
    """Alice's running round, with room for another answer (a fresh one once it is full)."""
    for current in await rows(app, "SELECT * FROM mock_rounds WHERE status = 'active'"):
        thread = next(
            t for t in app.emu.threads(app.world.practice) if t.id == current["thread_id"]
        )
        if len(await candidate_turns(app, current["round_id"])) < MAX_CANDIDATE_TURNS - 1:
            return thread
        ended = await app.emu.slash(app.world.alice, thread, "mock end")
        await ended.wait_for_followups(1)
    return (await start_round(app, round_name="behavioral"))[1]


async def candidate_turns(app: App, round_id: int | None = None) -> list[str]:
    """The candidate's turns, of one round or of all, oldest first."""
    found = await rows(
        app,
        "SELECT content FROM mock_turns WHERE speaker = 'candidate' "
        "AND round_id = COALESCE(?, round_id) ORDER BY turn_id",
        round_id,
    )
    return [t["content"] for t in found]


@given(
    text=st.one_of(texts(4000), st.text(ANY_TEXT, min_size=3990, max_size=4000)),
    by_mention=st.booleans(),
)
@example(text=ZERO_WIDTH, by_mention=False)
@example(text=ZERO_WIDTH, by_mention=True)
@example(text=" \t\n ", by_mention=False)
@example(text="@everyone @here <@&{role}> <@{user}> I would shard by user id.", by_mention=False)
@example(text="@everyone @here <@&{role}> <@{user}> I would shard by user id.", by_mention=True)
@example(text="x" * 4000, by_mention=False)
@example(text="'); DROP TABLE mock_turns; --", by_mention=True)
@example(text="**bold** `code` ```py\nprint(1)\n``` ||spoiler||", by_mention=False)
@FAST
async def test_mock_turns_take_any_text_and_never_ping(
    running: App, text: str, by_mention: bool
) -> None:
    app, alice = running, running.world.alice
    thread = await room_for_a_turn(app)
    text = nasty(app, text)
    before = await candidate_turns(app)
    seen = {m.id for m in bot_messages(app, thread)}
    if by_mention:
        bot_id = app.emu.bot_user.id
        content = f"<@{bot_id}> {text}"[:MESSAGE_LIMIT]
        expected = strip_mention(content, bot_id)
        await app.emu.post_message(alice, thread, content)
        record = None
    else:
        expected = text.strip()
        button = [m for m in bot_messages(app, thread) if m.find_button("Respond")][-1]
        opened = await app.emu.click(alice, button, label="Respond")
        assert opened.modal is not None, opened.text
        try:
            record = await app.emu.submit_modal(alice, opened, {"answer": text}, wait=False)
        except InvalidInvocation:
            return  # Discord refuses it (blank)
    # A turn gets the echo of a typed answer and the interviewer's line; a refusal, one message.
    replies = 1 if by_mention else 2

    def done() -> bool:
        new = [m for m in bot_messages(app, thread) if m.id not in seen]
        return len(new) >= replies or (record is not None and bool(record.followups))

    await app.emu.wait_for(done, what="the bot's answer to the turn")
    await app.emu.flush()
    sent = [m for m in bot_messages(app, thread) if m.id not in seen]
    # (The form's deferred update names the button's message, the opening, which pings the
    # candidate on purpose: only what the bot sent for this turn counts.)
    assert_no_pings(sent + (record.followups if record is not None else []))
    after = await candidate_turns(app)
    if visible(expected):
        assert after == [*before, app.as_stored(expected)]
        assert record is None or not record.followups, final(record).text
    else:
        assert after == before  # invisible text is not an answer
        refusal = final(record) if record is not None else sent[-1]
        assert "empty" in refusal.text, refusal.text
        assert record is None or record.followups[-1].ephemeral  # with the text kept


# ---------------------------------------------------------------------------- peer feedback


async def an_ended_session(app: App) -> tuple[Message, list[str]]:
    """Alice (interviewing) and Bob matched and ended at once: the message with the feedback
    button, and the rubric criteria of Bob's question."""
    world = app.world
    for member in (world.alice, world.bob):
        joined = await app.emu.slash(member, world.daily, "peer join", round="coding")
        await joined.wait_for_followups(1)
    [session] = await rows(app, "SELECT thread_id FROM peer_sessions WHERE status = 'active'")
    thread = next(t for t in app.emu.threads(world.daily) if t.id == session["thread_id"])
    start = next(m for m in bot_messages(app, thread) if m.buttons)
    ended = await app.emu.click(world.alice, start, label="End session")
    assert ended.original is not None, ended.text
    stored = await app.running.services.store.peers.sessions.session_in_thread(thread.id)
    assert stored is not None
    question = app.running.services.catalog.bank.get(stored.question_ids[0])
    assert question is not None
    return ended.original, [c.name for c in question.rubric]


SCORE_VALUES = st.one_of(
    st.sampled_from(["", "1", "3", "5", "4/5", "0", "6", "3/10", "-1", "٣", "five"]),
    texts(12),
)


@given(
    # None: the pre-filled criterion lines, completed with `fill` (the usual way to score).
    raw_scores=st.one_of(st.none(), st.none(), st.none(), texts(FEEDBACK_LIMIT, min_size=0)),
    fill=st.lists(SCORE_VALUES, max_size=6),
    went_well=texts(FEEDBACK_LIMIT, min_size=0),
    to_improve=texts(FEEDBACK_LIMIT, min_size=0),
)
@example(raw_scores=None, fill=["4", "5", "3"], went_well="Clear.", to_improve="")
@example(raw_scores=None, fill=[], went_well=ZERO_WIDTH, to_improve=" \t\n ")
@example(raw_scores=None, fill=[], went_well="@everyone <@&{role}> <@{user}>", to_improve="@here")
@example(raw_scores="Charisma: 9", fill=[], went_well="", to_improve="")
@example(raw_scores="1: 5\n1: 4", fill=[], went_well="", to_improve="")
@example(raw_scores="'; DROP TABLE peer_feedback; --", fill=[], went_well="x", to_improve="")
@example(raw_scores=None, fill=[], went_well="x" * FEEDBACK_LIMIT, to_improve="y" * 1000)
@FAST
async def test_peer_feedback_takes_any_text_and_never_pings(
    running: App, raw_scores: str | None, fill: list[str], went_well: str, to_improve: str
) -> None:
    app, world = running, running.world
    message, criteria = await an_ended_session(app)
    opened = await app.emu.click(world.alice, message, label="Give feedback")
    assert opened.modal is not None, opened.text
    if raw_scores is None:
        template = next(i for i in opened.modal.inputs if i["custom_id"] == "scores")["value"]
        lines = template.splitlines()
        scores = "\n".join(f"{line}{value}" for line, value in zip(lines, fill, strict=False))
    else:
        scores = raw_scores
    form = {
        "scores": nasty(app, scores)[:FEEDBACK_LIMIT],
        "went_well": nasty(app, went_well)[:FEEDBACK_LIMIT],
        "to_improve": nasty(app, to_improve)[:FEEDBACK_LIMIT],
    }
    before = await rows(app, "SELECT * FROM peer_feedback")
    dm = app.emu.dm_channel(world.bob)
    dms_before = len(app.emu.messages(dm))
    submitted = await app.emu.submit_modal(world.alice, opened, form)
    await submitted.wait_for_followups(1)
    reply = submitted.followups[-1]
    after = await rows(app, "SELECT * FROM peer_feedback")
    delivered = app.emu.messages(dm)[dms_before:]
    assert_no_pings(submitted.messages + delivered)
    valid_scores = accepted(lambda text: parse_scores(text, criteria), form["scores"])
    comments = [form["went_well"], form["to_improve"]]
    if valid_scores and (
        parse_scores(form["scores"], criteria).scores or any(map(visible, comments))
    ):
        assert "sent to" in reply.text, reply.text
        [saved] = [row for row in after if row not in before]
        assert [saved["went_well"], saved["to_improve"]] == [
            app.as_stored(c.strip()) if visible(c) else "" for c in comments
        ]
        assert len(delivered) == 1
    else:
        assert reply.ephemeral and reply.text.strip() and "error code" not in reply.text
        assert after == before and delivered == []


# ---------------------------------------------------------------------------- /grading limits

BIG = 2**53  # Discord's integer options stay within ±2^53


@given(
    member_answers=st.one_of(
        st.none(), st.integers(-5, MAX_MEMBER_DAILY_ANSWERS + 5), st.integers(-BIG, BIG)
    ),
    server_tokens=st.one_of(
        st.none(), st.integers(-5, MAX_GUILD_DAILY_TOKENS + 5), st.integers(-BIG, BIG)
    ),
)
@example(member_answers=-1, server_tokens=None)
@example(member_answers=None, server_tokens=MAX_GUILD_DAILY_TOKENS + 1)
@example(member_answers=0, server_tokens=0)
@example(member_answers=MAX_MEMBER_DAILY_ANSWERS, server_tokens=MAX_GUILD_DAILY_TOKENS)
@example(member_answers=BIG, server_tokens=-BIG)
@FAST
async def test_grading_limits_take_any_number(
    running: App, member_answers: int | None, server_tokens: int | None
) -> None:
    # What Discord's own checks would stop (the option's range), as a modified client sends it.
    for option in ("member_answers", "server_tokens"):
        lift_option_checks(running.emu, "grading limits", option)
    given_options: dict[str, Any] = {
        name: value
        for name, value in (("member_answers", member_answers), ("server_tokens", server_tokens))
        if value is not None
    }
    store = running.running.services.store
    before = await store.usage.limits(running.world.guild.id)
    reply = await running.emu.slash(
        running.world.admin, running.world.practice, "grading limits", **given_options
    )
    assert_no_pings(reply.messages)
    after = await store.usage.limits(running.world.guild.id)
    in_range = (member_answers is None or 0 <= member_answers <= MAX_MEMBER_DAILY_ANSWERS) and (
        server_tokens is None or 0 <= server_tokens <= MAX_GUILD_DAILY_TOKENS
    )
    if in_range:
        assert reply.ephemeral and ("saved" in reply.text or "Current" in reply.text), reply.text
        assert after.member_daily_answers == (
            before.member_daily_answers if member_answers is None else member_answers
        )
        assert after.guild_daily_tokens == (
            before.guild_daily_tokens if server_tokens is None else server_tokens
        )
    else:
        assert_clear_refusal(reply)
        assert "Nothing was changed" in reply.text, reply.text
        assert after == before
