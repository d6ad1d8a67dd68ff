"""Connecting, READY/GUILD_CREATE, live world changes, RESUME and sharding."""

from __future__ import annotations

import asyncio

import discord

from emulator import DiscordEmulator
from emulator.harness import connected

from .conftest import World, make_bot


async def test_connect_and_ready(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    async with connected(bot, emu):
        assert bot.user is not None and bot.user.id == emu.bot_user.id
        assert bot.application_id == emu.application_id
        guild = bot.get_guild(world.guild.id)
        assert guild is not None and guild.name == "Study Hall"
        assert guild.default_role.id == world.guild.id
        assert {c.name for c in guild.text_channels} == {"daily", "practice"}
        assert isinstance(guild.get_channel(world.voice.id), discord.VoiceChannel)
        assert guild.get_role(world.study.id) is not None
        assert guild.me is not None and guild.me.guild_permissions.send_messages
        assert not guild.me.guild_permissions.administrator
        # Without the members intent only the bot's own member comes in GUILD_CREATE.
        assert guild.get_member(world.alice.id) is None
        assert guild.member_count == len(world.guild.members)
    paths = [(r.method, r.path) for r in emu.requests]
    assert paths[:2] == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me")]
    assert "emulator-token" in emu.tokens_seen
    assert emu.stats["identifies"] == 1


async def test_members_intent_sends_members(emu: DiscordEmulator, world: World) -> None:
    intents = discord.Intents.default()
    intents.members = True
    bot = make_bot(intents=intents)
    async with connected(bot, emu):
        guild = bot.get_guild(world.guild.id)
        assert guild is not None and guild.chunked
        alice = guild.get_member(world.alice.id)
        assert alice is not None and alice.name == "alice"
        admin = guild.get_member(world.admin.id)
        assert admin is not None and admin.guild_permissions.manage_guild
        assert not alice.guild_permissions.manage_guild


async def test_live_world_changes_are_dispatched(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    joined: list[int] = []
    removed: list[int] = []
    deleted: list[int] = []

    async def on_guild_join(guild: discord.Guild) -> None:
        joined.append(guild.id)

    async def on_guild_remove(guild: discord.Guild) -> None:
        removed.append(guild.id)

    async def on_guild_channel_delete(channel: discord.abc.GuildChannel) -> None:
        deleted.append(channel.id)

    for listener in (on_guild_join, on_guild_remove, on_guild_channel_delete):
        bot.add_listener(listener)
    async with connected(bot, emu):
        other = emu.add_guild("Second Server")
        extra = emu.add_text_channel(other, "general")
        await emu.flush()
        await asyncio.sleep(0.01)
        assert joined == [other.id]
        assert bot.get_channel(extra.id) is not None

        await emu.delete_channel(world.practice)
        await asyncio.sleep(0.01)
        assert deleted == [world.practice.id]
        assert bot.get_channel(world.practice.id) is None
        partial = bot.get_partial_messageable(world.practice.id)
        try:
            await partial.send("hello?")
        except discord.NotFound as exc:
            assert exc.code == 10003
        else:
            raise AssertionError("sending to a deleted channel must fail")

        await emu.remove_guild(other)
        await asyncio.sleep(0.01)
        assert removed == [other.id]
        assert bot.get_guild(other.id) is None


async def test_reconnect_resumes_and_replays_missed_events(
    emu: DiscordEmulator, world: World
) -> None:
    bot = make_bot()
    resumed = asyncio.Event()

    async def on_resumed() -> None:
        resumed.set()

    bot.add_listener(on_resumed, "on_resumed")
    async with connected(bot, emu):
        session = emu.sessions[0]
        await emu.force_reconnect(wait=False)
        # Dispatched while the client is between sockets: it must arrive through RESUME.
        late = emu.add_text_channel(world.guild, "late-channel")
        await asyncio.wait_for(resumed.wait(), 5)
        await emu.flush()
        await asyncio.sleep(0.01)
        assert bot.get_channel(late.id) is not None
        assert emu.stats["resumes"] == 1
        assert emu.stats["identifies"] == 1
        assert emu.sessions == [session] and session.resumes == 1
        assert any("reconnect" in line for line in emu.transcript)


async def test_force_reconnect_waits_for_resume(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    async with connected(bot, emu):
        await emu.force_reconnect()
        assert emu.stats["resumes"] == 1
        channel = bot.get_channel(world.daily.id)
        assert isinstance(channel, discord.TextChannel)
        await channel.send("still here")
        assert emu.messages(world.daily)[-1].content == "still here"


class FastShardedClient(discord.AutoShardedClient):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before each non-first IDENTIFY; not needed on loopback."""


async def test_sharded_client_gets_its_guilds_per_shard() -> None:
    async with DiscordEmulator(shard_count=2) as emu:
        guilds = [emu.add_guild(f"Guild {i}") for i in range(4)]
        assert {(g.id >> 22) % 2 for g in guilds} == {0, 1}
        bot = FastShardedClient(intents=discord.Intents.default(), guild_ready_timeout=0.05)
        async with connected(bot, emu):
            await emu.wait_until_ready()
            assert bot.shard_count == 2
            assert {g.id for g in bot.guilds} == {g.id for g in guilds}
            for guild in bot.guilds:
                assert guild.shard_id == (guild.id >> 22) % 2
            assert sorted(s.shard_id for s in emu.sessions) == [0, 1]
        assert any(r.path == "/gateway/bot" for r in emu.requests)
