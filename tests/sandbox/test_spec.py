"""Every request discord.py makes through the emulator matches Discord's OpenAPI spec."""

from __future__ import annotations

import asyncio
import time

import discord

from emulator import DiscordEmulator, RecordedRequest
from emulator.harness import ErrorLogWatcher, connected
from tests.spec.checker import SpecChecker, assert_requests_match_spec, default_checker

from .conftest import World
from .study_bot import build_bot


def recorded(method: str, path: str, body: object) -> RecordedRequest:
    return RecordedRequest(
        method=method, path=path, route=None, query={}, json=body, files=[], status=200, time=0.0
    )


async def test_all_requests_of_a_session_match_the_spec(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        await bot.tree.sync(guild=discord.Object(world.guild.id))
        await emu.slash(world.alice, world.daily, "ping")
        await emu.slash(
            world.admin,
            world.daily,
            "daily setup",
            channel=world.daily,
            time="09:00",
            timezone="Europe/Berlin",
        )
        await emu.autocomplete(
            world.admin, world.daily, "daily setup", focused="timezone", time="09:00", timezone="E"
        )
        posted = await emu.slash(world.admin, world.daily, "daily now")
        await posted.wait_for_followups(1)
        post = emu.messages(world.daily)[-1]
        opened = await emu.click(world.alice, post, "daily:answer")
        await emu.submit_modal(world.alice, opened, {"answer": "BFS with a queue."})
        labelled = await emu.slash(world.alice, world.daily, "feedback")
        await emu.submit_modal(world.alice, labelled, {"notes": "clear", "rating": ["5"]})
        think = await emu.slash(world.alice, world.daily, "think")
        await think.wait_for_followups(2)
        grade = await emu.slash(world.alice, world.daily, "grade")
        await grade.wait_for_original_edit()
        upload = emu.make_attachment("a.txt", b"abc", "text/plain")
        await emu.slash(world.alice, world.daily, "upload", file=upload)
        await emu.click(world.bob, post, label="Skip")
        practice = bot.get_channel(world.practice.id)
        assert isinstance(practice, discord.TextChannel)
        thread = await practice.create_thread(name="Mock · coding · alice")
        await thread.add_user(discord.Object(world.alice.id))
        await thread.send(embed=discord.Embed(title="Scorecard", description="3.8/5"))
        await thread.edit(archived=True, locked=True)
    checker = default_checker()
    started = time.perf_counter()
    issues = checker.check_all(emu.requests)
    per_request = (time.perf_counter() - started) / len(emu.requests)
    assert issues == [], "\n".join(map(str, issues))
    assert_requests_match_spec(emu.requests)
    assert len(emu.requests) > 20
    assert per_request < 0.02


def test_content_over_2000_is_flagged() -> None:
    checker = SpecChecker()
    long = "x" * 2001
    followup = recorded("POST", "/webhooks/1/tok", {"content": long})
    callback = recorded(
        "POST", "/interactions/1/tok/callback", {"type": 4, "data": {"content": long}}
    )
    ok = recorded(
        "POST", "/interactions/1/tok/callback", {"type": 4, "data": {"content": "x" * 2000}}
    )
    [issue] = checker.check(followup)
    assert issue.location == "content" and "too long" in issue.message
    [issue] = checker.check(callback)
    assert issue.location == "data/content" and "too long" in issue.message
    assert checker.check(ok) == []


async def test_rejected_long_reply_is_flagged(
    emu: DiscordEmulator, world: World, discord_errors: ErrorLogWatcher
) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        inter = await emu.slash(world.alice, world.daily, "echo", text="x" * 2001)
        for _ in range(100):  # discord.py logs the command's exception just after the 400
            if discord_errors.records:
                break
            await asyncio.sleep(0.01)
    assert "50035" in discord_errors.describe()
    discord_errors.clear()
    assert inter.rejected == [(400, 50035, "Invalid Form Body")]
    [bad] = [r for r in emu.requests if r.status == 400]
    assert bad.response["code"] == 50035
    issues = SpecChecker().check_all(emu.requests)
    assert [(i.method, i.location) for i in issues] == [("POST", "data/content")]
    assert "too long" in str(issues[0])


def test_unknown_route_and_bad_types_are_flagged() -> None:
    checker = SpecChecker()
    [unknown] = checker.check(recorded("POST", "/channels/1/nonsense", {}))
    assert "no such operation" in unknown.message
    assert (
        checker.check(recorded("POST", "/channels/1/nonsense", {}), allow_unknown_routes=True) == []
    )
    [bad] = checker.check(recorded("POST", "/api/v10/channels/1/threads", {"name": 5}))
    assert bad.location == "name"
    op = checker.find_operation("GET", "/webhooks/1/tok/messages/@original")
    assert op is not None and op.template.endswith("/messages/@original")
