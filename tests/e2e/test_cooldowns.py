"""Per-member cooldowns on what costs an AI call or heavy work: the second try inside the window
is refused privately with when to try again, changes nothing and keeps what was typed; other
members are not affected; admins change them with `/grading cooldowns`."""

from __future__ import annotations

import re

from bot.domain.cooldowns import RULES
from emulator import InteractionRecord
from tests.conftest import App
from tests.e2e.daily_helpers import STRONG_ANSWER, daily_posts, setup_daily
from tests.e2e.grading_helpers import rows
from tests.e2e.test_mock import TURN_1, TURN_2, bot_messages, start_round


def assert_cooled(record: InteractionRecord, label: str) -> None:
    refusal = record.followups[-1] if record.followups else record
    assert refusal.ephemeral, refusal.text
    assert "Slow down" in refusal.text and label in refusal.text, refusal.text
    assert re.search(r"<t:\d+:R> \(in \d+ s\)", refusal.text), refusal.text


async def posted(app: App) -> None:
    await setup_daily(app)
    now = await app.emu.slash(app.world.admin, app.world.practice, "daily now")
    await now.wait_for_followups(1)


async def submit(app: App, member: object, text: str) -> InteractionRecord:
    [post] = daily_posts(app)
    opened = await app.emu.click(member, post, label="Answer")  # type: ignore[arg-type]
    assert opened.modal is not None
    submitted = await app.emu.submit_modal(member, opened, {"answer": text})  # type: ignore[arg-type]
    await submitted.wait_until(lambda r: bool(r.followups) or bool(r.text))
    return submitted


async def test_a_quick_resubmission_is_refused_with_the_text_kept(app: App) -> None:
    await app.start(bot_cooldowns=True)
    await posted(app)
    first = await submit(app, app.world.alice, STRONG_ANSWER)
    assert "/5" in first.followups[-1].text
    second = await submit(app, app.world.alice, STRONG_ANSWER + " (second thoughts)")
    assert_cooled(second, RULES["answer"].label)
    refusal = second.followups[-1] if second.followups else second
    assert "(second thoughts)" in refusal.text, "the typed text is handed back"
    stored = await rows(app, "SELECT content FROM answers WHERE user_id = ?", app.world.alice.id)
    assert [r["content"] for r in stored] == [STRONG_ANSWER]
    # Per member: Bob is not held back by Alice's cooldown.
    other = await submit(app, app.world.bob, STRONG_ANSWER)
    assert "/5" in other.followups[-1].text


async def test_admins_change_cooldowns_and_members_cannot(app: App) -> None:
    await app.start(bot_cooldowns=True)
    await posted(app)
    shown = await app.emu.slash(app.world.admin, app.world.practice, "grading cooldowns")
    for kind, rule in RULES.items():
        assert f"`{kind}`: **{rule.default_seconds} s**" in shown.text, shown.text
    half = await app.emu.slash(
        app.world.admin, app.world.practice, "grading cooldowns", action="answer"
    )
    assert "both" in half.text and "Nothing was changed" in half.text
    saved = await app.emu.slash(
        app.world.admin, app.world.practice, "grading cooldowns", action="answer", seconds=0
    )
    assert "saved" in saved.text and "`answer`: **off** (default 20 s)" in saved.text
    refused = await app.emu.slash(
        app.world.alice,
        app.world.practice,
        "grading cooldowns",
        action="answer",
        seconds=5,
        ignore_default_permissions=True,
    )
    assert "Manage Server" in refused.text
    [row] = await rows(app, "SELECT kind, seconds FROM cooldowns")
    assert (row["kind"], row["seconds"]) == ("answer", 0)
    # Off: resubmitting at once is fine.
    for text in (STRONG_ANSWER, STRONG_ANSWER + " again"):
        assert "/5" in (await submit(app, app.world.alice, text)).followups[-1].text
    # The setting outlives a restart.
    await app.restart()
    again = await app.emu.slash(app.world.admin, app.world.practice, "grading cooldowns")
    assert "`answer`: **off**" in again.text


async def test_practice_export_and_chart_are_throttled(app: App) -> None:
    await app.start(bot_cooldowns=True)
    alice, where = app.world.alice, app.world.practice
    calls = [
        ("practice", {}, RULES["practice"].label),
        ("privacy export", {}, RULES["export"].label),
        ("rank", {"chart": True}, RULES["chart"].label),
    ]
    for name, options, label in calls:
        first = await app.emu.slash(alice, where, name, options=options)
        await first.wait_until(lambda r: bool(r.followups) or bool(r.text))
        assert "Slow down" not in first.text
        second = await app.emu.slash(alice, where, name, options=options)
        assert_cooled(second, label)
    # The card without the chart is not throttled.
    card = await app.emu.slash(alice, where, "rank")
    await card.wait_for_followups(1)
    assert "Slow down" not in card.followups[-1].text


async def test_a_mock_turn_right_after_another_is_refused_and_handed_back(app: App) -> None:
    await app.start(bot_cooldowns=True)
    _, thread = await start_round(app)
    button = [m for m in bot_messages(app, thread) if m.find_button("Respond")][-1]
    first = await app.emu.click(app.world.alice, button, label="Respond")
    before = len(bot_messages(app, thread))
    await app.emu.submit_modal(app.world.alice, first, {"answer": TURN_1})
    await app.emu.wait_for(lambda: len(bot_messages(app, thread)) >= before + 2)
    button = [m for m in bot_messages(app, thread) if m.find_button("Respond")][-1]
    again = await app.emu.click(app.world.alice, button, label="Respond")
    refused = await app.emu.submit_modal(app.world.alice, again, {"answer": TURN_2})
    await refused.wait_for_followups(1)
    assert_cooled(refused, RULES["mock_turn"].label)
    assert TURN_2[:200] in refused.followups[-1].text
    turns = await rows(app, "SELECT content FROM mock_turns WHERE speaker = 'candidate'")
    assert [t["content"] for t in turns] == [TURN_1]
