"""`/leaderboard` end to end: pages, restarts, seasons, ties and hidden members."""

from __future__ import annotations

import pytest

from emulator import Message
from tests.conftest import App
from tests.progress.helpers import give, set_hidden
from tests.spec.checker import assert_requests_match_spec

pytestmark = pytest.mark.both_databases


def lines_with_points(message: Message) -> list[str]:
    return [line for line in message.text.splitlines() if line.rstrip().endswith("pts**")]


def button(message: Message, label: str) -> dict[str, object]:
    return next(b for b in message.buttons if b["label"] == label)


async def test_pages_turn_in_place_and_keep_working_after_a_restart(running: App) -> None:
    alice, bob = running.world.alice, running.world.bob
    for i in range(23):
        await give(running, 1000 + i, 50 - i)
    await give(running, alice.id, 1, name="alice")

    board = await running.emu.slash(alice, running.world.daily, "leaderboard")
    assert not board.ephemeral
    message = board.original
    assert message is not None
    text = message.text
    assert "Leaderboard · this week · all rounds" in text
    assert len(lines_with_points(message)) == 11  # ten rows and the caller's own rank
    assert "`#1`" in text and "**50 pts**" in text and "`#10`" in text and "`#11`" not in text
    assert f"<@{alice.id}>: `#24` — **1 pts**" in text  # off the page, so shown below it
    assert button(message, "Previous")["disabled"] and not button(message, "Next").get("disabled")
    assert not message.pinged_users and not message.pinged_everyone

    turned = await running.emu.click(alice, message, label="Next")
    assert turned.response_type == 7  # the same message, edited
    page2 = running.emu.get_message(message.id)
    assert page2 is not None and "`#11`" in page2.text and "`#20`" in page2.text
    assert "Page 2" in page2.text

    await running.restart()
    last = await running.emu.click(alice, page2, label="Next")
    assert last.response_type == 7
    page3 = running.emu.get_message(message.id)
    assert page3 is not None
    assert [line.split()[0] for line in lines_with_points(page3)] == [
        "`#21`",
        "`#22`",
        "`#23`",
        "`#24`",
    ]  # alice is on this page: no extra line for her
    assert button(page3, "Next")["disabled"]

    # Someone else's press gives them the page privately, with their own standing.
    other = await running.emu.click(bob, page3, label="Previous")
    assert other.ephemeral and "`#11`" in other.text
    assert f"<@{bob.id}>: no points this week yet." in other.text
    assert running.emu.get_message(message.id).text == page3.text  # unchanged for everyone
    assert_requests_match_spec(running.emu.requests)


async def test_ties_share_a_rank(running: App) -> None:
    await give(running, 11, 30)
    await give(running, 12, 20)
    await give(running, 13, 20)
    await give(running, 14, 5)
    board = await running.emu.slash(running.world.alice, running.world.daily, "leaderboard")
    ranks = [line.split()[0] for line in board.text.splitlines() if "pts**" in line]
    assert ranks[:4] == ["`#1`", "`#2`", "`#2`", "`#4`"]


async def test_rounds_months_and_past_seasons(running: App) -> None:
    alice, bob = running.world.alice, running.world.bob
    await give(running, alice.id, 12, name="alice", round_name="coding")
    await give(running, alice.id, 8, name="alice", ref="2", round_name="behavioral")
    await give(running, bob.id, 40, name="bob", day="2026-10-15", round_name="coding")

    month = await running.emu.slash(alice, running.world.daily, "leaderboard", period="month")
    assert "this month" in month.text and "**20 pts**" in month.text
    assert f"<@{bob.id}>" not in month.text
    coding = await running.emu.slash(alice, running.world.daily, "leaderboard", round="coding")
    assert "Coding" in coding.text and "**12 pts**" in coding.text
    everything = await running.emu.slash(alice, running.world.daily, "leaderboard", period="all")
    assert "all time" in everything.text and everything.text.index("**40 pts**") < (
        everything.text.index("**20 pts**")
    )

    october = await running.emu.slash(
        alice, running.world.daily, "leaderboard", period="month", season="2026-10"
    )
    assert "October 2026" in october.text and "**40 pts**" in october.text
    assert f"<@{alice.id}>: no points October 2026 yet." in october.text
    choices = await running.emu.autocomplete(
        alice, running.world.daily, "leaderboard", focused="season", season="2026-1"
    )
    assert [c["value"] for c in choices] == ["2026-11", "2026-10"]

    bad = await running.emu.slash(alice, running.world.daily, "leaderboard", season="2026-13")
    assert bad.ephemeral and "YYYY-MM" in bad.text
    future = await running.emu.slash(alice, running.world.daily, "leaderboard", season="2027-01")
    assert future.ephemeral and "not started" in future.text


async def test_hidden_members_are_left_out_until_they_show_again(running: App) -> None:
    alice, bob = running.world.alice, running.world.bob
    await give(running, alice.id, 30, name="alice")
    await give(running, bob.id, 10, name="bob")
    await set_hidden(running, alice.id, True)

    seen_by_bob = await running.emu.slash(bob, running.world.daily, "leaderboard")
    assert f"<@{alice.id}>" not in seen_by_bob.text
    assert "`#1` 🥇 <@" in seen_by_bob.text and "**10 pts**" in seen_by_bob.text
    own = await running.emu.slash(alice, running.world.daily, "leaderboard")
    assert "hidden from leaderboards" in own.text
    refused = await running.emu.slash(bob, running.world.daily, "rank", member=alice)
    await refused.wait_for_followups(1)
    assert refused.ephemeral and "private" in refused.followups[-1].text

    await set_hidden(running, alice.id, False)
    shown = await running.emu.slash(bob, running.world.daily, "leaderboard")
    assert shown.text.index(f"<@{alice.id}>") < shown.text.index(f"<@{bob.id}>")
