"""No spinner is left hanging: every button and form prefix the bot knows, with forged ids
(generated keys, malformed keys, unknown prefixes), stale ids (a round or session that ended) and
foreign ids (another server's objects), always gets a clear private answer and changes nothing."""

from __future__ import annotations

import random
from collections.abc import Iterator

from emulator import InteractionRecord, Member, Message
from tests.conftest import App, World, build_world
from tests.e2e.grading_helpers import rows
from tests.e2e.test_isolation import forge_click, post_today, session_state, sessions_in

BUTTON_PATTERNS = (
    "daily:answer:{}",
    "daily:hint:{}",
    "practice:answer:{}",
    "mock:respond:{}",
    "peer:{}",
    "lb:{}",
    "privacy:delete:{}",
    "privacy:keep:{}",
    "rank:share:{}",
    "rank:private:{}",
)
FORM_PATTERNS = ("daily:modal:{}", "practice:modal:{}", "mock:modal:{}", "peer:feedbackform:{}")
PEER_ACTIONS = ("here", "guide", "swap", "end", "noshow", "feedback", "noai")
UNKNOWN = ("", ":", "nope", "daily", "daily:", "daily:answer", "lb:", "peer:here", "x" * 100)
ANSWER = "Situation: a launch slipped. Task: ship it. Action: I split the work. Result: on time."


def forged_keys(rng: random.Random) -> Iterator[str]:
    """Keys no real object has: random numbers, numbers out of range, text, odd characters."""
    yield from ("0", "-1", "abc", "1e9", "9" * 25, "1;DROP TABLE answers", "ünï", "1:2", " 7")
    for _ in range(4):
        yield str(rng.randint(1, 2**63 - 1))
    yield "".join(rng.choice("abcdefghij-0123456789") for _ in range(rng.randint(3, 40)))


def forged_ids(rng: random.Random, patterns: tuple[str, ...]) -> list[str]:
    ids = []
    for pattern in patterns:
        for key in forged_keys(rng):
            if pattern == "peer:{}":
                key = f"{rng.choice(PEER_ACTIONS)}:{key}"
            elif pattern == "lb:{}":
                key = f"{key}:all:-:0:n" if rng.random() < 0.5 else f"{rng.randint(1, 9)}:{key}"
            ids.append(pattern.format(key))
    return ids


def ids_on(message: Message) -> list[str]:
    return [str(button["custom_id"]) for button in message.buttons]


async def answered_privately(record: InteractionRecord, custom_id: str) -> str:
    """The final answer the member sees: never a spinner, never an unexpected error."""
    await record.wait_until(lambda r: bool(r.followups) or r.response_type in (4, 7), timeout=10.0)
    assert record.modal is None, f"{custom_id}: a form opened"
    final = record.followups[-1] if record.followups else record
    assert final.ephemeral or record.response_type == 7, f"{custom_id}: {final.text}"
    assert final.text.strip() and "error code" not in final.text, f"{custom_id}: {final.text}"
    return final.text


async def press(app: App, member: Member, carrier: Message, custom_id: str) -> str:
    record = await forge_click(app, member, carrier, custom_id)
    return await answered_privately(record, custom_id)


async def submit(app: App, member: Member, carrier: Message, custom_id: str) -> str:
    opened = await app.emu.click(member, carrier, label="Answer")
    assert opened.modal is not None, opened.text
    opened.modal.custom_id = custom_id
    record = await app.emu.submit_modal(member, opened, {"answer": ANSWER}, wait=False)
    text = await answered_privately(record, custom_id)
    return text


async def everything(app: App) -> list[object]:
    tables = ("answers", "hint_uses", "daily_posts", "members", "member_notices")
    return [*(await session_state(app)), *[await rows(app, f"SELECT * FROM {t}") for t in tables]]


async def stale_and_foreign(app: App, a: World, b: World) -> tuple[list[str], list[str]]:
    """Ids of B's live objects (foreign to A), and of A's mock round and peer session after
    they ended (stale)."""
    _, respond_b, _, start_b = await sessions_in(app, b)
    post_b = await post_today(app, b)
    foreign = [*ids_on(respond_b), *ids_on(start_b), *ids_on(post_b)]
    foreign += [f"daily:modal:{k.split(':')[-1]}" for k in ids_on(post_b)[:1]]
    foreign += [f"mock:modal:{k.split(':')[-1]}" for k in ids_on(respond_b)]
    foreign += [f"peer:feedbackform:{k.split(':')[-1]}" for k in ids_on(start_b)[:1]]
    foreign += [f"privacy:delete:{b.bob.id}", f"privacy:keep:{b.bob.id}"]
    foreign += [f"rank:share:{b.bob.id}", f"rank:private:{b.bob.id}"]
    mock_thread, respond_a, _, start_a = await sessions_in(app, a)
    ended = await app.emu.slash(a.alice, mock_thread, "mock end")
    await ended.wait_until(lambda r: bool(r.followups) or bool(r.text))
    finished = await app.emu.click(a.alice, start_a, label="End session")
    assert finished.text, "the peer session ended"
    stale = [*ids_on(respond_a), *ids_on(start_a)]
    stale += [f"mock:modal:{k.split(':')[-1]}" for k in ids_on(respond_a)]
    return stale, foreign


async def test_every_prefix_with_forged_stale_and_foreign_ids_gets_an_answer(
    running: App,
) -> None:
    app, a = running, running.world
    b = build_world(app.emu, "Other Server")
    await app.emu.flush()
    rng = random.Random(14)
    stale, foreign = await stale_and_foreign(app, a, b)
    carrier = await post_today(app, a)
    buttons = forged_ids(rng, BUTTON_PATTERNS) + list(UNKNOWN)
    buttons += [i for i in stale + foreign if not i.split(":")[1].endswith(("modal", "form"))]
    forms = forged_ids(rng, FORM_PATTERNS) + [f"{u}:modal" for u in UNKNOWN[:4]]
    forms += [i for i in stale + foreign if i.split(":")[1].endswith(("modal", "form"))]
    buttons = [i for i in buttons if i]  # Discord refuses an empty custom_id itself
    before = await everything(app)
    for custom_id in buttons:
        await press(app, a.bob, carrier, custom_id)
    for custom_id in forms:
        await submit(app, a.bob, carrier, custom_id)
    assert await everything(app) == before
    print(
        f"custom_id sweep: {len(buttons)} button ids, {len(forms)} form ids, "
        f"{len(buttons) + len(forms)} in all ({len(stale)} stale, {len(foreign)} foreign)"
    )
