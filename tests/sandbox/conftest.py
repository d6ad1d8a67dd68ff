"""Fixtures for driving a bare discord.py client against the Discord emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import discord
import pytest
from discord.ext import commands

from emulator import Channel, DiscordEmulator, Guild, Member, Role
from emulator.harness import ErrorLogWatcher


@pytest.fixture(autouse=True)
def discord_errors() -> Iterator[ErrorLogWatcher]:
    """Fails the test when discord.py logged an ERROR (exceptions in commands, views, modals).

    A test that expects such a record asserts on ``discord_errors.records`` and clears it.
    """
    with ErrorLogWatcher() as watcher:
        yield watcher
    if watcher.records:
        pytest.fail("discord.py logged errors:\n" + watcher.describe(), pytrace=False)


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with DiscordEmulator() as emulator:
        yield emulator


@dataclass
class World:
    guild: Guild
    daily: Channel
    practice: Channel
    voice: Channel
    study: Role
    alice: Member
    bob: Member
    admin: Member


@pytest.fixture
def world(emu: DiscordEmulator) -> World:
    guild = emu.add_guild("Study Hall")
    study = emu.add_role(guild, "Study", mentionable=True)
    return World(
        guild=guild,
        daily=emu.add_text_channel(guild, "daily"),
        practice=emu.add_text_channel(guild, "practice"),
        voice=emu.add_voice_channel(guild, "voice"),
        study=study,
        alice=emu.add_member(guild, "alice"),
        bob=emu.add_member(guild, "bob"),
        admin=emu.add_member(guild, "admin", manage_guild=True),
    )


def make_bot(*, intents: discord.Intents | None = None, **options: Any) -> commands.Bot:
    options.setdefault("guild_ready_timeout", 0.05)
    return commands.Bot(
        command_prefix="!",
        intents=intents or discord.Intents.default(),
        help_command=None,
        **options,
    )
