"""`/daily rewards ...`: streak restores with an audit entry, freezes, milestone roles."""

from __future__ import annotations

import json

import pytest

from tests.conftest import App
from tests.e2e.daily_helpers import STRONG_ANSWER, answer, at, daily_posts, fire, setup_daily
from tests.progress.helpers import give, set_hidden, store_of

pytestmark = pytest.mark.both_databases

DAYS_BEFORE = [f"2026-11-{d}" for d in range(20, 26)]  # six days before the 26th


async def test_admins_restore_a_streak_with_an_audit_entry(running: App) -> None:
    alice = running.world.alice
    for day in ("2026-11-18", "2026-11-19", "2026-11-20", "2026-11-25", "2026-11-26"):
        await give(running, alice.id, 5, name="alice", day=day, ref=day)
    refused = await running.emu.slash(
        alice, running.world.daily, "daily rewards restore-streak", member=alice
    )
    assert refused.ephemeral and "Manage Server" in refused.text
    assert list(await store_of(running).db.fetchall("SELECT * FROM streak_restores")) == []

    await running.emu.slash(
        running.world.admin, running.world.daily, "daily rewards freezes", per_week=0
    )
    done = await running.emu.slash(
        running.world.admin,
        running.world.daily,
        "daily rewards restore-streak",
        member=alice,
        reason="bot outage on the 21st",
    )
    assert done.ephemeral and "4 missed days" in done.text and "2 → **9**" in done.text
    entry = await store_of(running).db.fetchone(
        "SELECT actor_id, action, target_id, detail_json FROM progress_audit "
        "WHERE action = 'streak_restore'"
    )
    assert entry is not None
    assert (entry["actor_id"], entry["target_id"]) == (running.world.admin.id, alice.id)
    detail = json.loads(entry["detail_json"])
    assert detail["days"] == ["2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"]
    assert (detail["streak_before"], detail["streak_after"]) == (2, 9)
    assert detail["reason"] == "bot outage on the 21st"

    again = await running.emu.slash(
        running.world.admin, running.world.daily, "daily rewards restore-streak", member=alice
    )
    assert again.ephemeral and "no broken streak" in again.text
    shown = await running.emu.slash(running.world.admin, running.world.daily, "daily rewards show")
    assert "streak restore" in shown.text and "bot outage" in shown.text
    assert "set freezes" in shown.text


async def test_freezes_are_configurable(running: App) -> None:
    alice = running.world.alice
    for day in ("2026-11-22", "2026-11-23", "2026-11-25", "2026-11-26"):  # missed the 24th
        await give(running, alice.id, 5, name="alice", day=day, ref=day)
    streak = running.running.services.points.streak
    assert (await streak(running.world.guild.id, alice.id)).current == 4  # one freeze by default
    saved = await running.emu.slash(
        running.world.admin, running.world.daily, "daily rewards freezes", per_week=0
    )
    assert "**0** per week" in saved.text
    assert (await streak(running.world.guild.id, alice.id)).current == 2


async def test_milestone_roles_skip_hidden_members(running: App) -> None:
    emu, world = running.emu, running.world
    week_role = emu.add_role(world.guild, "7-day streak")
    top_role = emu.add_role(world.guild, "Top three")
    await emu.flush()
    configured = await emu.slash(
        world.admin, world.daily, "daily rewards roles", streak_7=week_role, month_top3=top_role
    )
    assert "Saved" in configured.text and f"<@&{week_role.id}>" in configured.text
    assert not configured.original.pinged_roles

    for member in (world.alice, world.bob):
        for day in DAYS_BEFORE:
            await give(running, member.id, 5, name=member.user.name, day=day, ref=day)
    # October's top three (bob hid himself, so the fourth moves up) hold the month role.
    for user, amount in ((world.bob.id, 50), (world.alice.id, 40), (901, 30), (902, 20)):
        await give(running, user, amount, day="2026-10-10", ref="oct")
    await give(running, 903, 10, day="2026-10-11", ref="oct")
    await set_hidden(running, world.bob.id, True)
    await setup_daily(running)
    running.clock.set(at(2026, 11, 26, 8, 0))
    await fire(running)
    post = daily_posts(running)[-1]
    await answer(running, world.alice, post, STRONG_ANSWER)  # day 7 of her streak
    await answer(running, world.bob, post, STRONG_ANSWER)
    assert week_role.id in world.alice.role_ids
    assert week_role.id not in world.bob.role_ids  # bob hid himself

    # October was settled by the first work done once the role was set.
    assert top_role.id in world.alice.role_ids and top_role.id not in world.bob.role_ids
    rows = await store_of(running).db.fetchall(
        "SELECT place, user_id FROM season_awards WHERE season = 'm2026-10' ORDER BY place"
    )
    assert [tuple(r) for r in rows] == [(1, world.alice.id), (2, 901), (3, 902)]
