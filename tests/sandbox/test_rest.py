"""REST behaviour seen through discord.py: messages, limits, mentions, threads, permissions, DMs."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import aiohttp
import discord
import pytest

from emulator import DiscordEmulator, InvalidInvocation, Permission
from emulator.harness import connected

from .conftest import World, make_bot


def text_channel(bot: discord.Client, channel_id: int) -> discord.TextChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_send_edit_delete_and_history(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    async with connected(bot, emu):
        channel = text_channel(bot, world.daily.id)
        first = await channel.send("hello", file=discord.File(io.BytesIO(b"{}"), "data.json"))
        second = await channel.send(embed=discord.Embed(title="T", description="D"))
        await second.edit(content="now with text")
        history = [m.id async for m in channel.history(limit=10)]
        fetched = await channel.fetch_message(first.id)
        await first.delete()
    assert history == [second.id, first.id]
    assert fetched.attachments[0].filename == "data.json"
    stored = emu.messages(world.daily)
    assert [m.id for m in stored] == [second.id]
    assert stored[0].content == "now with text" and stored[0].embeds[0]["title"] == "T"
    assert emu.get_message(first.id) is not None and emu.get_message(first.id).deleted  # type: ignore[union-attr]
    upload = next(r for r in emu.requests if r.files)
    assert upload.json["attachments"][0]["filename"] == "data.json"


async def test_message_limits(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    async with connected(bot, emu):
        channel = text_channel(bot, world.daily.id)
        bad: list[dict[str, Any]] = [
            {"content": "x" * 2001},
            {
                "embeds": [
                    discord.Embed(description="y" * 4000),
                    discord.Embed(description="z" * 2001),
                ]
            },
            {"embed": discord.Embed(title="t" * 257)},
        ]
        for kwargs in bad:
            with pytest.raises(discord.HTTPException) as info:
                await channel.send(**kwargs)
            assert info.value.status == 400 and info.value.code == 50035
        # discord.py refuses 11 embeds itself; send them raw to reach the emulator's check.
        route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
        with pytest.raises(discord.HTTPException) as many:
            await bot.http.request(route, json={"embeds": [{"title": str(i)} for i in range(11)]})
        assert many.value.code == 50035 and "10 or fewer" in str(many.value)
        with pytest.raises(discord.HTTPException) as empty:
            await channel.send("")
        assert empty.value.code == 50006
        await channel.send("x" * 2000)
    assert len(emu.messages(world.daily)) == 1


async def test_mentions_follow_allowed_mentions(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    text = f"<@{world.alice.id}> <@&{world.study.id}> @everyone"
    async with connected(bot, emu):
        channel = text_channel(bot, world.daily.id)
        loud = await channel.send(text)
        quiet = await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        only_alice = await channel.send(
            text,
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, users=[discord.Object(world.alice.id)]
            ),
        )
        reply = await quiet.reply("reply", mention_author=False)
    by_id = {m.id: m for m in emu.messages(world.daily)}
    assert by_id[loud.id].pinged_everyone
    assert by_id[loud.id].pinged_roles == {world.study.id}
    assert by_id[loud.id].pinged_users == {world.alice.id}
    quiet_msg = by_id[quiet.id]
    assert (
        not quiet_msg.pinged_everyone and not quiet_msg.pinged_roles and not quiet_msg.pinged_users
    )
    assert quiet_msg.allowed_mentions == {"parse": []}
    assert by_id[only_alice.id].pinged_users == {world.alice.id}
    assert not by_id[only_alice.id].pinged_roles and not by_id[only_alice.id].pinged_everyone
    assert by_id[reply.id].message_reference is not None and not by_id[reply.id].pinged_users


async def test_member_messages_and_message_content_intent(
    emu: DiscordEmulator, world: World
) -> None:
    seen: list[tuple[str, list[int]]] = []
    bot = make_bot()

    async def on_message(message: discord.Message) -> None:
        if message.author.id != emu.bot_user.id:
            seen.append((message.content, [u.id for u in message.mentions]))

    bot.add_listener(on_message)
    async with connected(bot, emu):
        await emu.post_message(world.alice, world.daily, "hello everyone @everyone")
        mention = await emu.post_message(world.alice, world.daily, f"<@{emu.bot_user.id}> hi")
        await emu.flush()
        await asyncio.sleep(0.02)
    # Without the message content intent the bot only sees text that mentions it.
    assert seen == [("", []), (f"<@{emu.bot_user.id}> hi", [emu.bot_user.id])]
    assert mention.pinged_users == {emu.bot_user.id}
    first = emu.messages(world.daily)[0]
    assert first.author.id == world.alice.id and not first.pinged_everyone  # no MENTION_EVERYONE


async def test_threads(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    created: list[int] = []

    async def on_thread_create(thread: discord.Thread) -> None:
        created.append(thread.id)

    bot.add_listener(on_thread_create)
    async with connected(bot, emu):
        practice = text_channel(bot, world.practice.id)
        private = await practice.create_thread(
            name="Mock · coding · alice", type=discord.ChannelType.private_thread, invitable=False
        )
        await private.add_user(discord.Object(world.alice.id))
        await private.send("Welcome to your mock round.")
        # discord.py's VoiceChannel has no create_thread; a bot could still call the route.
        with pytest.raises(discord.HTTPException) as info:
            await bot.http.start_thread_without_message(
                world.voice.id, name="nope", auto_archive_duration=1440, type=12
            )
        assert info.value.status == 400
        starter = await practice.send("Peer session")
        public = await starter.create_thread(name="Peer · alice & bob")
        await private.edit(archived=True, locked=True)
        await emu.flush()
        await asyncio.sleep(0.01)
        assert public.id == starter.id
        assert created == [private.id, public.id]
        cached = bot.get_guild(world.guild.id).get_thread(public.id)  # type: ignore[union-attr]
        assert cached is not None and cached.owner_id == emu.bot_user.id
    statuses = [(r.method, r.path, r.status) for r in emu.requests if "thread" in r.path]
    assert (
        "POST",
        f"/channels/{world.practice.id}/threads",
        201,
    ) in statuses
    assert ("POST", f"/channels/{world.voice.id}/threads", 400) in statuses
    threads = {t.id: t for t in emu.threads(world.practice)}
    thread = threads[private.id]
    assert thread.type == 12 and thread.archived and thread.locked and not thread.invitable
    assert thread.members == [emu.bot_user.id, world.alice.id]
    assert [m.content for m in emu.messages(thread)] == ["Welcome to your mock round."]
    assert emu.get_message(starter.id).thread is threads[public.id]  # type: ignore[union-attr]
    assert "bot created private thread 'Mock · coding · alice' in #practice" in emu.transcript
    # Members cannot use a private thread they were not added to.
    with pytest.raises(InvalidInvocation):
        await emu.post_message(world.bob, thread, "let me in")


async def test_permissions_denied(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    async with connected(bot, emu):
        emu.set_bot_channel_permissions(world.daily, deny=["SEND_MESSAGES"])
        emu.set_bot_channel_permissions(world.practice, deny=[Permission.CREATE_PRIVATE_THREADS])
        hidden = emu.add_text_channel(world.guild, "mods-only")
        emu.set_bot_channel_permissions(hidden, deny=["VIEW_CHANNEL"])
        await emu.flush()
        await asyncio.sleep(0.01)
        daily = text_channel(bot, world.daily.id)
        guild = bot.get_guild(world.guild.id)
        assert guild is not None and guild.me is not None
        assert not daily.permissions_for(guild.me).send_messages
        with pytest.raises(discord.Forbidden) as denied:
            await daily.send("hi")
        assert denied.value.code == 50013
        with pytest.raises(discord.Forbidden) as threads:
            await text_channel(bot, world.practice.id).create_thread(name="x")
        assert threads.value.code == 50013
        with pytest.raises(discord.Forbidden) as access:
            await bot.get_partial_messageable(hidden.id).send("hi")
        assert access.value.code == 50001
    assert not emu.bot_permissions(world.daily) & Permission.SEND_MESSAGES


async def test_direct_messages_and_closed_dms(emu: DiscordEmulator, world: World) -> None:
    intents = discord.Intents.default()
    intents.members = True
    bot = make_bot(intents=intents)
    async with connected(bot, emu):
        alice = bot.get_guild(world.guild.id).get_member(world.alice.id)  # type: ignore[union-attr]
        assert alice is not None
        await alice.send("Your streak is 3 days.")
        emu.close_dms(world.alice)
        with pytest.raises(discord.Forbidden) as closed:
            await alice.send("again")
        assert closed.value.code == 50007
    dm = emu.dm_channel(world.alice)
    assert [m.content for m in emu.messages(dm)] == ["Your streak is 3 days."]
    assert "bot → alice (DM): Your streak is 3 days." in emu.transcript


async def test_roles_and_members(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    async with connected(bot, emu):
        guild = bot.get_guild(world.guild.id)
        assert guild is not None
        member = await guild.fetch_member(world.alice.id)
        await member.add_roles(discord.Object(world.study.id))
        with pytest.raises(discord.NotFound) as missing:
            await guild.fetch_member(12345)
        assert missing.value.code == 10007
    assert world.study.id in world.alice.role_ids


async def test_fail_next_500_is_retried(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    async with connected(bot, emu):
        emu.fail_next("POST", "/channels/*/messages", 500)
        emu.fail_next(
            "POST",
            "/channels/*/messages",
            429,
            body={"message": "slow down", "retry_after": 0.01, "global": False},
        )
        await text_channel(bot, world.daily.id).send("eventually")
        emu.fail_next("*", "/channels/**", 403)
        with pytest.raises(discord.Forbidden):
            await text_channel(bot, world.daily.id).send("never")
    posts = [r.status for r in emu.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert posts == [500, 429, 200, 403]
    assert [m.content for m in emu.messages(world.daily)] == ["eventually"]
    assert emu.stats["faults"] == 3


async def test_global_rate_limit_is_retried() -> None:
    async with DiscordEmulator(global_rate_limit=20) as emu:
        guild = emu.add_guild("Busy")
        channel = emu.add_text_channel(guild, "spam")
        bot = make_bot()
        async with connected(bot, emu):
            target = text_channel(bot, channel.id)
            await asyncio.gather(*(target.send(f"message {i}") for i in range(30)))
        assert len(emu.messages(channel)) == 30
        assert emu.stats["global_rate_limited"] >= 1
        limited = [r for r in emu.requests if r.status == 429]
        assert limited and limited[0].response["global"] is True
        in_any_second = max(
            sum(1 for r in emu.requests if r.status != 429 and 0 <= r.time - start < 1.0)
            for start in (r.time for r in emu.requests)
        )
        assert in_any_second <= 20


async def test_raw_http_details(emu: DiscordEmulator, world: World) -> None:
    headers = {"Authorization": "Bot emulator-token"}
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{emu.api_base_url}/nope", headers=headers) as resp:
            assert resp.status == 404
            assert resp.headers["Content-Type"] == "application/json"
            assert await resp.json() == {"message": "404: Not Found", "code": 0}
        async with session.get(f"{emu.api_base_url}/channels/{world.daily.id}") as resp:
            assert resp.status == 401
        url = f"{emu.api_base_url}/channels/{world.daily.id}"
        async with session.get(url, headers=headers) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"] == "application/json"
            for name in ("Limit", "Remaining", "Reset", "Reset-After", "Bucket"):
                assert f"X-RateLimit-{name}" in resp.headers
            assert (await resp.json())["name"] == "daily"
        upload = emu.make_attachment("notes.txt", "some notes", "text/plain")
        async with session.get(upload.url) as resp:
            assert await resp.read() == b"some notes"


async def test_wait_for_message_and_transcript(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    async with connected(bot, emu):
        channel = text_channel(bot, world.daily.id)

        async def scheduled_post() -> None:
            await asyncio.sleep(0.05)
            embed = discord.Embed(title="Daily question · Graphs", description="Count islands.")
            embed.add_field(name="Difficulty", value="medium").set_footer(text="Answer below")
            await channel.send(f"<@&{world.study.id}> new question", embed=embed)

        task = asyncio.create_task(scheduled_post())
        msg = await emu.wait_for_message(world.daily, lambda m: bool(m.embeds))
        await task
    assert msg.embeds[0]["title"] == "Daily question · Graphs"
    assert "Count islands." in msg.text and "Difficulty\nmedium" in msg.text
    line = "bot → #daily: @Study new question [embed] Daily question · Graphs · Count islands."
    assert line in emu.transcript
    rendered = emu.render_transcript()
    for expected in ("┃ **Daily question · Graphs**", "┃ Difficulty: medium", "┃ — Answer below"):
        assert expected in rendered
