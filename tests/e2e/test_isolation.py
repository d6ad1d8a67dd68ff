"""Guild isolation and DMs: nothing of one server is readable or changeable from another, through
every command and button that takes an id; every command used in a DM gets a clear answer."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from emulator import Channel, InteractionRecord, InvalidInvocation, Member, Message
from tests.conftest import App, World, build_world
from tests.e2e.daily_helpers import STRONG_ANSWER, answer
from tests.e2e.grading_helpers import rows

pytestmark = pytest.mark.both_databases

CUSTOM_FORM = {
    "title": "Trending pins in one region",
    "prompt": "Design a service that shows the trending pins of one region, updated each minute.",
    "rubric": "\n".join(
        f"{name} | 3 | a strong answer covers this | a weak one misses it"
        for name in ("Requirements", "Counting at scale", "Freshness")
    ),
    "hints": "Think about windows.\nApproximate counts are fine.",
    "follow_ups": "How would you handle a spam burst?\nWhat about a new region?",
}


async def post_today(app: App, world: World) -> Message:
    await app.emu.slash(
        world.admin,
        world.practice,
        "daily setup",
        channel=world.daily,
        time="09:00",
        timezone="UTC",
    )
    now = await app.emu.slash(world.admin, world.practice, "daily now")
    await now.wait_for_followups(1)
    [post] = [
        m
        for m in app.emu.messages(world.daily)
        if m.embeds and str(m.embeds[0].get("title", "")).startswith("Daily question")
    ]
    return post


async def add_custom_question(app: App, world: World) -> str:
    opened = await app.emu.slash(
        world.admin, world.practice, "questions add", round="system_design", difficulty="medium"
    )
    assert opened.modal is not None
    ids = [str(i["custom_id"]) for i in opened.modal.inputs]  # title, prompt, rubric, ...
    submitted = await app.emu.submit_modal(
        world.admin, opened, dict(zip(ids, CUSTOM_FORM.values(), strict=True))
    )
    [added] = await submitted.wait_for_followups(1) if not submitted.text else [submitted]
    assert "Added" in added.text, added.text
    return added.text.split("`")[1]


@contextlib.contextmanager
def forged(message: Message, custom_id: str) -> Iterator[str]:
    """The message's first button, its custom_id swapped for one naming another server's
    object: what a modified client or a replayed payload could send."""
    button = message.buttons[0]
    original = button["custom_id"]
    button["custom_id"] = custom_id
    try:
        yield custom_id
    finally:
        button["custom_id"] = original


async def forge_click(
    app: App, member: Member, message: Message, custom_id: str
) -> InteractionRecord:
    with forged(message, custom_id):
        return await app.emu.click(member, message, custom_id)


def assert_refused(record: InteractionRecord, *words: str) -> None:
    assert record.modal is None, "a form opened"
    assert record.ephemeral, record.text
    assert "error code" not in record.text, record.text
    for word in words:
        assert word in record.text, record.text


async def sessions_in(app: App, world: World) -> tuple[Channel, Message, Channel, Message]:
    """Alice's mock round and Alice and Bob's peer session in `world`: each thread and the
    message that carries its buttons."""
    started = await app.emu.slash(world.alice, world.practice, "mock start", round="behavioral")
    await started.wait_for_followups(1)
    [mock_thread] = app.emu.threads(world.practice)
    respond = next(m for m in app.emu.messages(mock_thread) if m.buttons)
    for member in (world.alice, world.bob):
        joined = await app.emu.slash(member, world.daily, "peer join", round="coding")
        await joined.wait_for_followups(1)
    [peer_thread] = app.emu.threads(world.daily)
    start = next(m for m in app.emu.messages(peer_thread) if m.buttons)
    return mock_thread, respond, peer_thread, start


async def session_state(app: App) -> list[list[dict[str, Any]]]:
    """Everything a mock or peer button or form could change."""
    return [
        await rows(app, f"SELECT * FROM {table}")
        for table in (
            "mock_rounds",
            "mock_turns",
            "peer_sessions",
            "peer_queue",
            "peer_feedback",
            "points",
        )
    ]


@pytest.fixture
async def two(running: App) -> tuple[App, World]:
    """The running bot in two servers: `running.world` (A) and the returned world (B)."""
    other = build_world(running.emu, "Other Server")
    await running.emu.flush()
    return running, other


async def test_questions_of_another_server_cannot_be_disabled_enabled_or_listed(
    two: tuple[App, World],
) -> None:
    app, b = two
    a = app.world
    question_id = await add_custom_question(app, a)
    for action in ("questions disable", "questions enable"):
        refused = await app.emu.slash(b.admin, b.practice, action, question_id=question_id)
        assert_refused(refused, "No question")
    listed = await app.emu.slash(b.alice, b.practice, "questions list")
    assert question_id not in listed.text
    assert await rows(app, "SELECT * FROM disabled_questions") == []
    # In its own server it works, and stays a matter of that server.
    done = await app.emu.slash(a.admin, a.practice, "questions disable", question_id=question_id)
    assert "no longer be posted" in done.text
    assert [r["guild_id"] for r in await rows(app, "SELECT * FROM disabled_questions")] == [
        a.guild.id
    ]


async def test_daily_buttons_naming_another_servers_post_are_refused(
    two: tuple[App, World],
) -> None:
    app, b = two
    a = app.world
    post_a = await post_today(app, a)
    await answer(app, a.alice, post_a, STRONG_ANSWER)
    post_b = await post_today(app, b)
    [row_a] = await rows(app, "SELECT post_id FROM daily_posts WHERE guild_id = ?", a.guild.id)
    before = await rows(app, "SELECT * FROM answers")
    # A member of B only, and a member of both servers (same Discord user) acting from B.
    both = app.emu.add_member(b.guild, "alice", user=a.alice.user)
    await app.emu.flush()
    for member in (b.bob, both):
        for action in ("answer", "hint"):
            refused = await forge_click(app, member, post_b, f"daily:{action}:{row_a['post_id']}")
            assert_refused(refused, "does not exist in this server")
    assert await rows(app, "SELECT * FROM answers") == before
    assert await rows(app, "SELECT * FROM hint_uses") == []
    # B's own buttons still work for B's members.
    assert "/5" in (await answer(app, b.bob, post_b, STRONG_ANSWER)).followups[-1].text


async def test_a_forged_answer_form_for_another_servers_post_changes_nothing(
    two: tuple[App, World],
) -> None:
    app, b = two
    a = app.world
    await post_today(app, a)
    post_b = await post_today(app, b)
    [row_a] = await rows(app, "SELECT post_id FROM daily_posts WHERE guild_id = ?", a.guild.id)
    opened = await app.emu.click(b.bob, post_b, label="Answer")
    assert opened.modal is not None
    opened.modal.custom_id = f"daily:modal:{row_a['post_id']}"
    forged_submit = await app.emu.submit_modal(b.bob, opened, {"answer": STRONG_ANSWER}, wait=False)
    # Forms survive restarts, so any `daily:modal:<post>` id is read: the post's server decides.
    await forged_submit.wait_until(lambda r: bool(r.followups) or "server" in r.text)
    refusal = forged_submit.followups[-1] if forged_submit.followups else forged_submit
    assert "does not exist in this server" in refusal.text and refusal.ephemeral
    assert await rows(app, "SELECT * FROM answers") == []


async def test_boards_and_status_show_only_this_server(two: tuple[App, World]) -> None:
    app, b = two
    a = app.world
    post_a = await post_today(app, a)
    await answer(app, a.alice, post_a, STRONG_ANSWER)
    for period in ("week", "month", "all"):
        board = await app.emu.slash(b.bob, b.daily, "leaderboard", period=period)
        assert "No points yet" in board.text and str(a.alice.id) not in board.text
    board_a = await app.emu.slash(a.bob, a.daily, "leaderboard")
    assert str(a.alice.id) in board_a.text
    status = await app.emu.slash(b.bob, b.daily, "daily status")
    assert "not set up" in status.text.lower() and str(a.daily.id) not in status.text
    question = await app.emu.slash(b.bob, b.daily, "daily question")
    assert_refused(question, "No daily question")


async def test_forged_page_buttons_show_this_servers_board_and_turn_no_other_message(
    two: tuple[App, World],
) -> None:
    app, b = two
    a = app.world
    post_a = await post_today(app, a)
    await answer(app, a.alice, post_a, STRONG_ANSWER)
    post_b = await post_today(app, b)
    both = app.emu.add_member(b.guild, "alice", user=a.alice.user)
    await app.emu.flush()
    for member in (b.bob, both):
        # Its own id as the owner: the pressed message (the daily post) is not a board.
        page = await forge_click(app, member, post_b, f"lb:{member.id}:all:-:0:n")
        assert page.ephemeral and "Leaderboard" in page.text, page.text
        assert "No points yet" in page.text and "pts**" not in page.text  # none of A's points
    shown = app.emu.get_message(post_b.id)
    assert shown is not None and str(shown.embeds[0]["title"]).startswith("Daily question")
    assert [button["label"] for button in shown.buttons] == [
        button["label"] for button in post_b.buttons
    ]


async def test_mock_and_peer_buttons_of_another_server_are_refused(
    two: tuple[App, World],
) -> None:
    app, b = two
    a = app.world
    _, respond, _, start = await sessions_in(app, a)
    post_b = await post_today(app, b)
    before = await session_state(app)
    for custom_id in [respond.buttons[0]["custom_id"], *(b["custom_id"] for b in start.buttons)]:
        refused = await forge_click(app, b.bob, post_b, str(custom_id))
        assert_refused(refused, "does not exist in this server")
    assert await rows(app, "SELECT * FROM answers") == []
    assert await session_state(app) == before


async def test_a_member_of_both_servers_cannot_act_on_the_others_sessions_from_it(
    two: tuple[App, World],
) -> None:
    app, b = two
    a = app.world
    mock_thread, respond, peer_thread, start = await sessions_in(app, a)
    post_b = await post_today(app, b)
    alice_in_b = app.emu.add_member(b.guild, "alice", user=a.alice.user)
    await app.emu.flush()
    seen_in_b = len(app.emu.messages(b.daily))
    seen_in_a = [len(app.emu.messages(t)) for t in (mock_thread, peer_thread)]
    before = await session_state(app)
    for custom_id in [respond.buttons[0]["custom_id"], *(b["custom_id"] for b in start.buttons)]:
        refused = await forge_click(app, alice_in_b, post_b, str(custom_id))
        assert_refused(refused, "does not exist in this server")
    assert len(app.emu.messages(b.daily)) == seen_in_b  # nothing of A's session shown in B
    assert [len(app.emu.messages(t)) for t in (mock_thread, peer_thread)] == seen_in_a
    assert await session_state(app) == before  # not even "I'm here" was recorded
    # In A the same buttons still work for her.
    here = await app.emu.click(a.alice, start, label="I'm here")
    assert "Checked in" in here.text


async def test_forged_mock_and_peer_forms_from_another_server_change_nothing(
    two: tuple[App, World],
) -> None:
    """Forms survive restarts, so a form is found by its custom_id alone: a member of both
    servers who opened A's forms in A and submits them from B is refused, and keeps the text."""
    app, b = two
    a = app.world
    mock_thread, respond, peer_thread, start = await sessions_in(app, a)
    ended = await app.emu.click(a.alice, start, label="End session")
    assert ended.original is not None
    # Alice opens both forms in A (the server now knows them), and does not send them there.
    respond_form = await app.emu.click(a.alice, respond, label="Respond")
    feedback_form = await app.emu.click(a.alice, ended.original, label="Give feedback")
    assert respond_form.modal is not None and feedback_form.modal is not None
    post_b = await post_today(app, b)
    alice_in_b = app.emu.add_member(b.guild, "alice", user=a.alice.user)
    await app.emu.flush()
    seen_in_a = [len(app.emu.messages(t)) for t in (mock_thread, peer_thread)]
    before = await session_state(app)
    for custom_id in (respond_form.modal.custom_id, feedback_form.modal.custom_id):
        opened = await app.emu.click(alice_in_b, post_b, label="Answer")
        assert opened.modal is not None
        opened.modal.custom_id = custom_id
        text = "Situation: a launch slipped. Task, action, result."
        submitted = await app.emu.submit_modal(alice_in_b, opened, {"answer": text}, wait=False)
        await submitted.wait_for_followups(1)
        refusal = submitted.followups[-1]
        assert refusal.ephemeral and "does not exist in this server" in refusal.text, custom_id
    assert [len(app.emu.messages(t)) for t in (mock_thread, peer_thread)] == seen_in_a
    assert await session_state(app) == before
    assert await rows(app, "SELECT * FROM answers") == []


async def test_practice_buttons_and_forms_naming_another_servers_question_are_refused(
    two: tuple[App, World],
) -> None:
    app, b = two
    a = app.world
    question_id = await add_custom_question(app, a)
    post_b = await post_today(app, b)
    # In A, its own question's form opens (and so is known by its custom_id).
    post_a = await post_today(app, a)
    in_a = await forge_click(app, a.alice, post_a, f"practice:answer:{question_id}")
    assert in_a.modal is not None and CUSTOM_FORM["title"] in in_a.modal.title
    both = app.emu.add_member(b.guild, "alice", user=a.alice.user)
    await app.emu.flush()
    for member in (b.bob, both):
        refused = await forge_click(app, member, post_b, f"practice:answer:{question_id}")
        assert_refused(refused, "question")
        opened = await app.emu.click(member, post_b, label="Answer")
        assert opened.modal is not None
        opened.modal.custom_id = f"practice:modal:{question_id}"
        submitted = await app.emu.submit_modal(
            member, opened, {"answer": STRONG_ANSWER}, wait=False
        )
        await submitted.wait_until(lambda r: bool(r.followups) or "question" in r.text)
        refusal = submitted.followups[-1] if submitted.followups else submitted
        assert refusal.ephemeral and "question" in refusal.text and "/5" not in refusal.text
    assert await rows(app, "SELECT * FROM answers") == []


def dm_value(app: App, option: dict[str, Any]) -> Any:
    """A value for a required option, as a member could give it in a DM."""
    if option.get("choices"):
        return option["choices"][0]["value"]
    kind = int(option["type"])
    if kind == 3:
        return "x" * max(1, int(option.get("min_length") or 1))
    if kind in (4, 10):
        return int(option.get("min_value") or 1)
    if kind == 5:
        return False
    if kind == 6:
        return app.world.bob.user
    if kind == 11:
        return app.emu.make_attachment("q.yaml", "questions: []\n")
    return None  # channels and roles cannot be picked in a DM


def every_command(app: App) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []

    def walk(prefix: str, node: dict[str, Any]) -> None:
        options = node.get("options") or []
        subs = [o for o in options if int(o["type"]) in (1, 2)]
        if not subs:
            values = {o["name"]: dm_value(app, o) for o in options if o.get("required")}
            found.append((prefix, values))
        for sub in subs:
            walk(f"{prefix} {sub['name']}", sub)

    for command in app.emu.commands():
        walk(command["name"], command)
    return found


async def test_every_command_in_a_dm_gets_a_clear_answer(running: App) -> None:
    dm: Channel = running.emu.dm_channel(running.world.alice)
    commands = every_command(running)
    assert len(commands) >= 10  # the whole tree, subcommands included
    answered = []
    for name, values in commands:
        if None in values.values():
            continue  # needs a channel or a role: not something a DM can offer
        try:
            record = await running.emu.slash(running.world.alice, dm, name, options=values)
        except InvalidInvocation:
            continue  # Discord itself does not offer it in DMs (guild_only)
        text = record.text or " ".join(m.text for m in record.messages)
        answered.append(name)
        if name == "help":
            assert text.strip()
            continue
        assert record.ephemeral, (name, text)
        assert "server" in text.lower() and "error code" not in text, (name, text)
    assert "daily status" in answered and "leaderboard" in answered


@pytest.mark.parametrize(
    "custom_id", ["daily:answer:1", "daily:hint:1", "mock:respond:1", "peer:guide:1"]
)
async def test_buttons_pressed_in_a_dm_get_a_clear_answer(running: App, custom_id: str) -> None:
    dm = running.emu.dm_channel(running.world.alice)
    message = await running.emu.post_message(running.world.alice, dm, "a message with a button")
    message.components = [
        {"type": 1, "components": [{"type": 2, "style": 1, "label": "B", "custom_id": custom_id}]}
    ]
    record = await running.emu.click(running.world.alice, message, custom_id)
    assert_refused(record)
    assert record.text.strip()
