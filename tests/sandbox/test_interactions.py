"""Slash commands, deferrals, followups, modals, buttons, selects and Discord's callback rules."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp
import discord
import pytest

from emulator import DiscordEmulator, InteractionTimeout, InvalidInvocation
from emulator.harness import connected

from .conftest import World, make_bot
from .study_bot import build_bot


async def test_sync_stores_tree_with_ids(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        synced = await bot.tree.sync()
        guild_synced = await bot.tree.sync(guild=discord.Object(world.guild.id))
    stored = {c["name"]: c for c in emu.commands()}
    assert {"ping", "daily", "mock", "admin"} <= set(stored)
    assert {c.name: c.id for c in synced} == {n: int(c["id"]) for n, c in stored.items()}
    assert stored["admin"]["default_member_permissions"] == str(1 << 5)
    assert guild_synced == [] and emu.commands(world.guild) == []
    put = [r for r in emu.requests if r.method == "PUT"]
    assert put[0].path == f"/applications/{emu.application_id}/commands"


async def test_slash_command_answered(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        inter = await emu.slash(world.alice, world.daily, "ping")
    assert inter.response_type == 4
    assert inter.response_data is not None and inter.response_data["content"] == "pong"
    assert not inter.ephemeral
    assert inter.original is not None and inter.original.content == "pong"
    assert inter.original in emu.messages(world.daily)
    assert inter.latency is not None and inter.latency < 1.0
    assert "alice used /ping" in emu.transcript
    assert "bot → #daily: pong" in emu.transcript


async def test_subcommand_with_options_and_resolved_data(
    emu: DiscordEmulator, world: World
) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        inter = await emu.slash(
            world.admin,
            world.daily,
            "daily setup",
            channel=world.daily,
            time="09:00",
            timezone="Europe/Berlin",
            ping_role=world.study,
        )
        refused = await emu.slash(
            world.alice, world.daily, "daily setup", channel=world.daily, time="9", timezone="X"
        )
    assert inter.ephemeral
    role = f"<@&{world.study.id}>"
    assert (
        inter.text
        == f"Daily question in <#{world.daily.id}> at 09:00 Europe/Berlin pinging {role}."
    )
    data = inter.payload["data"]
    assert data["options"][0]["name"] == "setup" and data["options"][0]["type"] == 1
    assert str(world.daily.id) in data["resolved"]["channels"]
    assert str(world.study.id) in data["resolved"]["roles"]
    assert inter.original is not None and not inter.original.pinged_roles
    assert refused.text == "You need Manage Server."
    assert (
        "admin used /daily setup channel:#daily time:09:00 timezone:Europe/Berlin ping_role:@Study"
        in emu.transcript
    )


async def test_user_option_resolves_to_member(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        inter = await emu.slash(world.alice, world.daily, "whois", member=world.bob)
    assert inter.text == "bob (Member)"


async def test_invalid_invocations_are_rejected(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        cases: list[tuple[str, dict[str, Any]]] = [
            ("nope", {}),
            ("daily nope", {}),
            ("daily", {}),
            ("ping", {"loud": True}),
            ("mock", {}),
            ("mock", {"round": "knitting"}),
            ("mock", {"round": "coding", "difficulty": 9}),
            ("mock", {"round": "coding", "difficulty": "3"}),
            ("daily setup", {"channel": world.voice, "time": "09:00", "timezone": "UTC"}),
            ("daily setup", {"channel": "daily", "time": "09:00", "timezone": "UTC"}),
            ("admin status", {}),
        ]
        for name, values in cases:
            with pytest.raises(InvalidInvocation):
                await emu.slash(world.alice, world.daily, name, options=values)
        # A server can override default permissions; the flag models that.
        allowed = await emu.slash(
            world.alice, world.daily, "admin status", ignore_default_permissions=True
        )
        assert allowed.text == "ok"
        assert (await emu.slash(world.admin, world.daily, "admin status")).text == "ok"
        with pytest.raises(InvalidInvocation):
            await emu.autocomplete(world.alice, world.daily, "mock", focused="round", round="co")
    assert len(emu.interactions) == 2


async def test_autocomplete_returns_choices(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        choices = await emu.autocomplete(
            world.admin,
            world.daily,
            "daily setup",
            focused="timezone",
            time="09:00",
            timezone="Eur",
        )
    assert [c["value"] for c in choices] == ["Europe/Berlin", "Europe/London", "Europe/Paris"]
    assert emu.interactions[-1].payload["data"]["options"][0]["options"][-1]["focused"] is True


async def test_deferred_command_with_followups(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        inter = await emu.slash(world.alice, world.daily, "think")
        assert inter.response_type == 5 and inter.ephemeral
        followups = await inter.wait_for_followups(2)
    # The first followup after a "thinking" deferral replaces the loading message.
    assert inter.original is followups[0]
    assert [m.content for m in followups] == ["Thought about it.", "And one more thing."]
    assert all(m.ephemeral for m in followups)
    assert emu.messages(world.daily) == []
    assert len(emu.messages(world.daily, include_ephemeral=True)) == 2
    assert "bot is thinking… (ephemeral, for alice)" in emu.transcript


async def test_deferred_command_edits_original(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        inter = await emu.slash(world.alice, world.daily, "grade")
        assert inter.original is not None and inter.original.loading
        original = await inter.wait_for_original_edit()
    assert original.content == "Score: 3.8/5" and not original.loading
    assert inter.followups == []


async def test_button_on_persistent_view_opens_modal(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        posted = await emu.slash(world.admin, world.daily, "daily now")
        await posted.wait_for_followups(1)
        post = emu.messages(world.daily)[-1]
        assert post.embeds[0]["title"] == "Daily question · Coding"
        assert [b["label"] for b in post.buttons] == ["Answer", "Skip"]
        opened = await emu.click(world.alice, post, "daily:answer")
        assert opened.response_type == 9 and opened.modal is not None
        assert opened.modal.title == "Your answer"
        assert opened.modal.input("answer") is not None
        submitted = await emu.submit_modal(world.alice, opened, {"answer": "x" * 812})
        with pytest.raises(InvalidInvocation):
            await emu.submit_modal(world.alice, opened, {"answer": "again"})
    assert submitted.ephemeral and submitted.text == "Received 812 characters."
    components = submitted.payload["data"]["components"]
    assert components == [
        {"type": 1, "components": [{"type": 4, "custom_id": "answer", "value": "x" * 812}]}
    ]
    assert "alice pressed [Answer]" in emu.transcript
    assert "alice submitted modal 'Your answer' (812 chars)" in emu.transcript


async def test_button_updates_message(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        posted = await emu.slash(world.admin, world.daily, "daily now")
        await posted.wait_for_followups(1)
        post = emu.messages(world.daily)[-1]
        inter = await emu.click(world.bob, post, label="Skip")
    assert inter.response_type == 7
    assert inter.original is post and post.content == "Skipped today." and post.components == []
    assert post.edit_count == 1


async def test_label_modal_and_select(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        opened = await emu.slash(world.alice, world.daily, "feedback")
        assert opened.modal is not None
        assert [c["type"] for c in opened.modal.components] == [18, 18]
        with pytest.raises(InvalidInvocation):
            await emu.submit_modal(world.alice, opened, {"notes": "ok"})  # min_length 3
        with pytest.raises(InvalidInvocation):
            await emu.submit_modal(world.alice, opened, {"notes": "fine", "rating": ["9"]})
        with pytest.raises(InvalidInvocation):
            await emu.submit_modal(world.bob, opened, {"notes": "fine", "rating": ["4"]})
        done = await emu.submit_modal(world.alice, opened, {"notes": "good", "rating": ["4"]})
        assert done.text == "notes='good' rating=4"
        assert done.payload["data"]["components"][0] == {
            "type": 18,
            "component": {"type": 4, "custom_id": "notes", "value": "good"},
        }

        menu = await emu.slash(world.alice, world.daily, "pick")
        assert menu.original is not None and menu.original.ephemeral
        with pytest.raises(InvalidInvocation):
            await emu.select(world.bob, menu.original, "round-picker", ["coding"])
        with pytest.raises(InvalidInvocation):
            await emu.select(world.alice, menu.original, "round-picker", ["cooking"])
        picked = await emu.select(world.alice, menu.original, "round-picker", ["system_design"])
    assert picked.text == "You picked system_design"


async def test_attachment_option_and_file_reply(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    upload = emu.make_attachment("answer.txt", b"hello world", "text/plain")
    async with connected(bot, emu):
        await bot.tree.sync()
        inter = await emu.slash(world.alice, world.daily, "upload", file=upload)
    assert inter.text == "answer.txt: 11 bytes, starts hello"
    assert inter.original is not None
    [attachment] = inter.original.attachments
    assert attachment.filename == "upper.txt" and attachment.data == b"HELLO WORLD"
    assert emu.requests[-1].files == [("upper.txt", 11)]


async def test_callback_after_deadline_gets_10062(emu: DiscordEmulator, world: World) -> None:
    emu.callback_deadline = 0.2
    bot = make_bot()
    errors: list[int] = []

    @bot.tree.command(description="Too slow")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.3)
        try:
            await interaction.response.send_message("late")
        except discord.NotFound as exc:
            errors.append(exc.code)

    async with connected(bot, emu):
        await bot.tree.sync()
        inter = await emu.slash(world.alice, world.daily, "slow")
    assert errors == [10062]
    assert inter.rejected == [(404, 10062, "Unknown interaction")]
    assert not inter.acknowledged and inter.original is None


async def test_second_callback_gets_40060(emu: DiscordEmulator, world: World) -> None:
    bot = build_bot()
    async with connected(bot, emu):
        await bot.tree.sync()
        inter = await emu.slash(world.alice, world.daily, "ping")
    url = f"{emu.api_base_url}/interactions/{inter.id}/{inter.token}/callback"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"type": 4, "data": {"content": "again"}}) as resp:
            assert resp.status == 400
            assert resp.headers["Content-Type"] == "application/json"
            assert (await resp.json())["code"] == 40060
        async with session.post(url.replace(inter.token, "bad"), json={"type": 1}) as resp:
            assert resp.status == 404 and (await resp.json())["code"] == 10062
    assert inter.rejected[0][:2] == (400, 40060)


async def test_unanswered_interaction_times_out(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()

    @bot.tree.command(description="Never answers")
    async def mute(interaction: discord.Interaction) -> None:
        return None

    async with connected(bot, emu):
        await bot.tree.sync()
        with pytest.raises(InteractionTimeout, match="did not answer"):
            await emu.slash(world.alice, world.daily, "mute", timeout=0.2)


async def test_followup_content_over_2000_is_rejected(
    emu: DiscordEmulator, world: World, discord_errors: object
) -> None:
    bot = make_bot()
    codes: list[int] = []

    @bot.tree.command(description="Long")
    async def long(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        try:
            await interaction.followup.send("x" * 2001)
        except discord.HTTPException as exc:
            codes.append(exc.code)
            await interaction.followup.send("too long, sorry")

    async with connected(bot, emu):
        await bot.tree.sync()
        inter = await emu.slash(world.alice, world.daily, "long")
        await inter.wait_for_followups(1)
    assert codes == [50035]
    assert inter.original is not None and inter.original.content == "too long, sorry"


async def test_commands_in_direct_messages(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()

    @bot.tree.command(description="Where am I?")
    async def where(interaction: discord.Interaction) -> None:
        kind = type(interaction.channel).__name__
        await interaction.response.send_message(f"{kind}, guild={interaction.guild_id}")

    @bot.tree.command(description="Guild only")
    @discord.app_commands.guild_only()
    async def server(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("guild")

    async with connected(bot, emu):
        await bot.tree.sync()
        dm = emu.dm_channel(world.alice)
        inter = await emu.slash(world.alice, dm, "where")
        with pytest.raises(InvalidInvocation):
            await emu.slash(world.alice, dm, "server")
        with pytest.raises(InvalidInvocation):
            await emu.slash(world.bob, dm, "where")
    assert inter.text == "DMChannel, guild=None"
    assert inter.payload["context"] == 1 and "member" not in inter.payload
    assert emu.messages(dm)[-1].content == "DMChannel, guild=None"


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"vote:(?P<n>\d+)"
):
    def __init__(self, n: int) -> None:
        super().__init__(discord.ui.Button(label=f"Vote {n}", custom_id=f"vote:{n}"))
        self.n = n

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> VoteButton:
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()  # deferred update (type 6) on a component
        await interaction.edit_original_response(content=f"Voted {self.n}")
        original = await interaction.original_response()
        await interaction.followup.send(
            f"Thanks for voting {self.n} ({original.content})", ephemeral=True
        )


async def test_dynamic_item_with_deferred_update(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    bot.add_dynamic_items(VoteButton)
    async with connected(bot, emu):
        channel = bot.get_channel(world.daily.id)
        assert isinstance(channel, discord.TextChannel)
        view = discord.ui.View(timeout=None)
        view.add_item(VoteButton(7))
        sent = await channel.send("Vote now", view=view)
        message = emu.get_message(sent.id)
        assert message is not None
        inter = await emu.click(world.alice, message, "vote:7")
        [thanks] = await inter.wait_for_followups(1)
    assert inter.response_type == 6
    assert inter.original is message and message.content == "Voted 7"
    assert thanks.ephemeral and thanks.content == "Thanks for voting 7 (Voted 7)"


async def test_nested_group_subcommand(emu: DiscordEmulator, world: World) -> None:
    bot = make_bot()
    peer = discord.app_commands.Group(name="peer", description="Peer sessions")
    queue = discord.app_commands.Group(name="queue", description="The queue", parent=peer)

    @queue.command(description="Join the queue")
    async def join(interaction: discord.Interaction, round: str, note: str | None = None) -> None:
        await interaction.response.send_message(f"joined {round} {note}", ephemeral=True)

    bot.tree.add_command(peer)
    async with connected(bot, emu):
        with pytest.raises(InvalidInvocation, match="not a synced command"):
            await emu.slash(world.alice, world.daily, "peer queue join", round="coding")
        # A guild sync only pushes guild commands: copy the global tree first.
        bot.tree.copy_global_to(guild=discord.Object(world.guild.id))
        await bot.tree.sync(guild=discord.Object(world.guild.id))
        inter = await emu.slash(world.alice, world.daily, "peer queue join", round="coding")
        with pytest.raises(InvalidInvocation):
            await emu.slash(world.alice, world.daily, "peer queue", round="coding")
    assert inter.text == "joined coding None"
    data = inter.payload["data"]
    assert data["guild_id"] == str(world.guild.id)
    assert data["options"] == [
        {
            "name": "queue",
            "type": 2,
            "options": [
                {
                    "name": "join",
                    "type": 1,
                    "options": [{"name": "round", "type": 3, "value": "coding"}],
                }
            ],
        }
    ]
    assert emu.internal_errors == []
