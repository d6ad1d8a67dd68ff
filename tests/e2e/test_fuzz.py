"""Bad input, fuzzed with hypothesis through the real command paths (one bot per test function).

Whatever a member types (unicode, zero-width characters, 4000 characters, markdown, mentions,
SQL metacharacters, invalid times and timezones, channels of the wrong type): nothing crashes
(an ERROR log fails the test), each reply is ephemeral and says something, nothing the bot sends
pings anyone, and the database holds exactly what a valid input should have stored.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.domain.errors import UserError
from bot.domain.schedule import parse_post_time, parse_rotation, parse_timezone
from emulator import DiscordEmulator, InteractionRecord, InvalidInvocation, Member, Message
from emulator.fake_messages_api import FakeMessagesAPI
from tests.conftest import App
from tests.e2e.daily_helpers import daily_posts
from tests.e2e.grading_helpers import posted_question, rows

pytestmark = pytest.mark.both_databases

FAST = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
NASTY = [
    "@everyone",
    "@here",
    "<@&{role}>",
    "<@{user}>",
    "<@!{user}>",
    "'; DROP TABLE guilds; --",
    '" OR 1=1 --',
    "%_\\",
    "`code` **bold** ~~x~~ ||spoiler|| > quote",
    "[link](https://example.com)",
    "```\n```",
    "\u202eevil",
    "e\u0301\u0301\u0301",
    "🧑‍💻🏳️‍🌈",
    ZERO_WIDTH,
    "\x00",
    "\t \n",
]
# Text a member can type: any unicode but surrogates (not encodable on the wire).
ANY_TEXT = st.characters(exclude_categories=["Cs"])


def nasty(app: App, template: str) -> str:
    return template.replace("{role}", str(app.world.study.id)).replace(
        "{user}", str(app.world.bob.id)
    )


def texts(max_size: int, *, min_size: int = 1) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(ANY_TEXT, min_size=min_size, max_size=max_size),
        st.lists(st.sampled_from(NASTY), min_size=1, max_size=6).map(" ".join),
    ).filter(lambda s: min_size <= len(s) <= max_size)


def visible(text: str) -> bool:
    """Whether anything but whitespace and invisible format characters was typed."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc") for c in text)


def assert_no_pings(messages: list[Message]) -> None:
    for message in messages:
        assert not message.pinged_everyone, message.text
        assert not message.pinged_roles, message.text
        assert not message.pinged_users, message.text


def assert_clear_refusal(record: InteractionRecord) -> None:
    assert record.ephemeral, record.text
    assert record.text.strip(), "an empty reply"
    assert "error code" not in record.text, record.text  # an unexpected error, not a refusal


def accepted(parse: Any, text: str) -> bool:
    try:
        parse(text)
    except UserError:
        return False
    return True


async def guild_row(app: App) -> dict[str, Any] | None:
    found = await rows(app, "SELECT * FROM guilds WHERE guild_id = ?", app.world.guild.id)
    return found[0] if found else None


@given(time=texts(10), timezone=st.one_of(texts(64), st.sampled_from(["Europe/Berlin", "UTC"])))
@example(time="25:00", timezone="UTC")
@example(time="09:00", timezone="Mars/Olympus")
@example(time="0９:３0", timezone="Europe/Berlin")  # full-width digits
@example(time="09:00\u200b", timezone="Europe/Berlin\u200b")
@example(time="@everyone", timezone="<@&{role}> <@{user}>")
@example(time="'; DROP--", timezone="Europe/Berlin'; DROP TABLE guilds; --")
@example(time="9:05", timezone="../../etc/passwd")
@example(time="23:59", timezone="localtime")
@FAST
async def test_daily_setup_takes_any_time_and_timezone(
    running: App, time: str, timezone: str
) -> None:
    time, timezone = nasty(running, time), nasty(running, timezone)
    before = await guild_row(running)
    reply = await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "daily setup",
        channel=running.world.daily,
        time=time[:10],
        timezone=timezone[:64],
    )
    assert_no_pings(reply.messages)
    assert reply.ephemeral and reply.text.strip()
    after = await guild_row(running)
    if accepted(parse_post_time, time[:10]) and accepted(parse_timezone, timezone[:64]):
        assert "scheduled" in reply.text and after is not None
        assert after["post_time"] == f"{parse_post_time(time[:10]):%H:%M}"
        assert after["timezone"] == parse_timezone(timezone[:64]).key
    else:
        assert_clear_refusal(reply)
        assert "Nothing was changed" in reply.text or "not a" in reply.text
        assert after == before  # nothing stored
    assert daily_posts(running) == []  # setup never posts


@given(slots=texts(300))
@example(slots="coding," * 6 + "coding:hard")
@example(slots="coding,@everyone,<@&{role}>,x,y,z,w")
@example(slots="coding;DROP TABLE guilds;--" + ",coding" * 6)
@FAST
async def test_daily_rotation_takes_any_text(running: App, slots: str) -> None:
    await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "daily setup",
        channel=running.world.daily,
        time="09:00",
        timezone="UTC",
    )
    slots = nasty(running, slots)[:300]
    before = await guild_row(running)
    reply = await running.emu.slash(
        running.world.admin, running.world.practice, "daily rotation", slots=slots
    )
    assert_no_pings(reply.messages)
    after = await guild_row(running)
    if accepted(parse_rotation, slots):
        assert "Rotation" in reply.text and after is not None and after["rotation"]
    else:
        assert_clear_refusal(reply)
        assert after == before


@given(question_id=texts(80), enable=st.booleans())
@example(question_id="' OR '1'='1", enable=False)
@example(question_id="%", enable=True)
@example(question_id="@everyone <@{user}>", enable=False)
@FAST
async def test_questions_disable_and_enable_take_any_id(
    running: App, question_id: str, enable: bool
) -> None:
    question_id = nasty(running, question_id)[:80]
    reply = await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "questions enable" if enable else "questions disable",
        question_id=question_id,
    )
    assert_no_pings(reply.messages)
    assert_clear_refusal(reply)
    assert "No question" in reply.text
    assert await rows(running, "SELECT * FROM disabled_questions") == []
    tables = await running.running.services.store.db.tables()
    assert {"guilds", "daily_posts", "answers"} <= set(tables)


@given(
    title=texts(120, min_size=5),
    prompt=texts(3000),
    rubric=st.one_of(
        texts(4000),
        st.lists(texts(60), min_size=3, max_size=6).map(
            lambda names: "\n".join(
                f"{n} | 2 | a strong answer covers this | a weak one misses it" for n in names
            )
        ),
    ),
    hints=texts(1500),
    follow_ups=texts(1500),
)
@example(
    title=ZERO_WIDTH,
    prompt="Count the boards reachable within k hops.",
    rubric="\n".join(
        f"{n} | 2 | a strong answer covers this | a weak one misses it"
        for n in ("Approach", "Edges", "Tests")
    ),
    hints="Think BFS.\nMark visited on enqueue.",
    follow_ups="What if the graph is huge?\nWhat if edges are weighted?",
)
@example(
    title="'); DROP TABLE custom_questions; -- @everyone",
    prompt="<@&{role}> <@{user}> **bold**",
    rubric="\n".join(
        f"{n} | 2 | a strong answer covers this | a weak one misses it"
        for n in ("A'", "B;--", "C%_")
    ),
    hints="@here\n`x`",
    follow_ups="one?\ntwo?",
)
@FAST
async def test_questions_add_form_takes_any_text(
    running: App, title: str, prompt: str, rubric: str, hints: str, follow_ups: str
) -> None:
    before = await rows(running, "SELECT question_id FROM custom_questions")
    opened = await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "questions add",
        round="coding",
        difficulty="easy",
    )
    assert opened.modal is not None
    fields = dict(
        zip(
            [str(i["custom_id"]) for i in opened.modal.inputs],
            [nasty(running, v) for v in (title, prompt, rubric, hints, follow_ups)],
            strict=True,
        )
    )
    try:
        submitted = await running.emu.submit_modal(running.world.admin, opened, fields)
    except InvalidInvocation:
        return  # Discord itself refuses it (e.g. blank required text)
    reply = submitted.followups[-1] if submitted.followups else submitted
    assert_no_pings(submitted.messages)
    after = await rows(running, "SELECT question_id, body_json FROM custom_questions")
    if "✅ Added" in reply.text:
        assert len(after) == len(before) + 1
        added = json.loads(after[-1]["body_json"])
        assert visible(added["title"]) and visible(added["prompt"]), added
    else:
        assert_clear_refusal(submitted)
        assert "Nothing was added" in reply.text and len(after) == len(before)


@given(text=st.one_of(texts(4000), st.text(ANY_TEXT, min_size=3990, max_size=4000)))
@example(text=ZERO_WIDTH)
@example(text=" \t\n ")
@example(text="@everyone @here <@&{role}> <@{user}> is what I would do: BFS " * 3)
@example(text="x" * 4000)
@example(text="'); DROP TABLE answers; --")
@example(text="**bold** `code` [link](https://example.com) ||spoiler||")
@FAST
async def test_answers_take_any_text_and_never_ping(
    claude: App, fake: FakeMessagesAPI, text: str
) -> None:
    app = claude
    posts = daily_posts(app)
    post = posts[0] if posts else await posted_question(app)
    text = nasty(app, text)[:4000]
    before = await rows(app, "SELECT content, revision FROM answers")
    opened = await app.emu.click(app.world.alice, post, label="Answer")
    assert opened.modal is not None
    try:
        submitted = await app.emu.submit_modal(app.world.alice, opened, {"answer": text})
    except InvalidInvocation:
        return  # Discord refuses it (blank)
    await submitted.wait_until(lambda r: bool(r.followups) or bool(r.text.strip()))
    assert_no_pings(submitted.messages)
    after = await rows(app, "SELECT content, revision FROM answers")
    if visible(text):
        assert "/5" in submitted.followups[-1].text or "delayed" in submitted.followups[-1].text
        assert [a["content"] for a in after] == [app.as_stored(text.strip())]
    else:
        assert_clear_refusal(submitted)
        assert after == before  # an answer of invisible characters is not an answer


async def test_mentions_in_names_do_not_ping_on_the_board(running: App) -> None:
    guild = running.world.guild
    sneaky: Member = running.emu.add_member(
        guild, "sneaky", nick=f"@everyone <@&{running.world.study.id}> <@{running.world.bob.id}>"
    )
    await running.emu.flush()
    await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "daily setup",
        channel=running.world.daily,
        time="09:00",
        timezone="UTC",
    )
    now = await running.emu.slash(running.world.admin, running.world.practice, "daily now")
    await now.wait_for_followups(1)
    post = daily_posts(running)[0]
    opened = await running.emu.click(sneaky, post, label="Answer")
    submitted = await running.emu.submit_modal(sneaky, opened, {"answer": "@everyone BFS " * 20})
    await submitted.wait_for_followups(1)
    board = await running.emu.slash(running.world.alice, running.world.daily, "leaderboard")
    assert not board.ephemeral and "pts" in board.text
    for channel in (running.world.daily, running.world.practice):
        assert_no_pings(running.emu.messages(channel, include_ephemeral=True))
    assert_no_pings(submitted.messages + board.messages)


def lift_option_checks(emu: DiscordEmulator, command: str, option: str) -> None:
    """Make the emulator accept what Discord's own validation would stop (channel types,
    lengths, number ranges), as a modified client might send: the bot must still refuse
    cleanly."""
    top, *subs = command.split()
    node = next(c for c in emu.commands() if c["name"] == top)
    for sub in subs:
        node = next(o for o in node["options"] if o["name"] == sub)
    opt = next(o for o in node["options"] if o["name"] == option)
    for key in ("channel_types", "max_length", "min_length", "max_value", "min_value"):
        opt.pop(key, None)


@pytest.mark.parametrize("kind", ["voice", "category", "thread", "announcement"])
async def test_setup_refuses_channels_of_the_wrong_type(running: App, kind: str) -> None:
    lift_option_checks(running.emu, "daily setup", "channel")
    guild = running.world.guild
    if kind == "voice":
        channel = running.world.voice
    elif kind == "category":
        channel = running.emu.add_category(guild, "Study")
    elif kind == "announcement":
        channel = running.emu.add_announcement_channel(guild, "news")
    else:  # the public discussion thread under a daily post
        await running.emu.slash(
            running.world.admin,
            running.world.practice,
            "daily setup",
            channel=running.world.daily,
            time="09:00",
            timezone="UTC",
        )
        now = await running.emu.slash(running.world.admin, running.world.practice, "daily now")
        await now.wait_for_followups(1)
        thread = daily_posts(running)[0].thread
        assert thread is not None
        channel = thread
    await running.emu.flush()
    before = await guild_row(running)
    reply = await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "daily setup",
        channel=channel,
        time="10:00",
        timezone="UTC",
    )
    assert_no_pings(reply.messages)
    if kind == "announcement":
        # discord.py treats announcement channels as text channels: posting works there.
        assert "scheduled" in reply.text
        return
    assert_clear_refusal(reply)
    assert await guild_row(running) == before


async def test_overlong_options_from_a_modified_client_are_refused(running: App) -> None:
    lift_option_checks(running.emu, "daily setup", "time")
    lift_option_checks(running.emu, "daily setup", "timezone")
    reply = await running.emu.slash(
        running.world.admin,
        running.world.practice,
        "daily setup",
        channel=running.world.daily,
        time="09:00" + " " * 500 + "@everyone",
        timezone="Europe/Berlin" * 50,
    )
    assert_clear_refusal(reply)
    assert_no_pings(reply.messages)
    assert await guild_row(running) is None
