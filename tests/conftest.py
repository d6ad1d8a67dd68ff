"""Shared fixtures: the real bot on a fresh SQLite file, connected to the Discord emulator."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import InterviewBot
from bot.domain.clock import ManualClock
from bot.llm.base import Grader
from bot.settings import Settings
from emulator import Channel, DiscordEmulator, Guild, Member, Role
from emulator.harness import ErrorLogWatcher, connected

# A Thursday morning in November: 08:00 in Berlin.
START = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def discord_errors() -> Iterator[ErrorLogWatcher]:
    """Fails the test when discord.py or the bot logged an ERROR; a test that expects one
    asserts on `.records` and clears them."""
    ours = logging.getLogger("bot")
    with ErrorLogWatcher("discord") as watcher:
        ours.addHandler(watcher)
        try:
            yield watcher
        finally:
            ours.removeHandler(watcher)
    if watcher.records:
        pytest.fail("errors were logged:\n" + watcher.describe(), pytrace=False)


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


def build_world(emu: DiscordEmulator, name: str = "Study Hall") -> World:
    guild = emu.add_guild(name)
    return World(
        guild=guild,
        daily=emu.add_text_channel(guild, "daily"),
        practice=emu.add_text_channel(guild, "practice"),
        voice=emu.add_voice_channel(guild, "voice"),
        study=emu.add_role(guild, "Study", mentionable=True),
        alice=emu.add_member(guild, "alice"),
        bob=emu.add_member(guild, "bob"),
        admin=emu.add_member(guild, "admin", manage_guild=True),
    )


@dataclass
class App:
    """The emulator, one world in it, the clock, and a way to (re)start the real bot."""

    emu: DiscordEmulator
    world: World
    clock: ManualClock
    db_path: Path
    grader: Grader | None = None
    bot: InterviewBot | None = None
    _stack: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "discord_token": "emulator-token",
            "discord_api_base_url": self.emu.api_base_url,
            "discord_gateway_url": self.emu.gateway_url,
            "bot_database_path": self.db_path,
            "anthropic_api_key": None,
            "bot_log_level": "INFO",
            # Tests act faster than any member; the cooldown tests turn them on.
            "bot_cooldowns": False,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    async def start(self, **overrides: Any) -> InterviewBot:
        bot = InterviewBot(
            self.settings(**overrides),
            clock=self.clock,
            grader=self.grader,
            guild_ready_timeout=0.05,
        )
        await self._stack.enter_async_context(connected(bot, self.emu))
        self.bot = bot
        return bot

    async def stop(self) -> None:
        await self._stack.aclose()
        self._stack = contextlib.AsyncExitStack()
        self.bot = None

    async def restart(self) -> InterviewBot:
        await self.stop()
        return await self.start()

    @property
    def running(self) -> InterviewBot:
        assert self.bot is not None, "the bot is not running"
        return self.bot


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    async with DiscordEmulator() as emu:
        harness = App(emu, build_world(emu), ManualClock(START), tmp_path / "bot.db")
        try:
            yield harness
        finally:
            await harness.stop()
            assert emu.internal_errors == []


@pytest.fixture
async def running(app: App) -> App:
    await app.start()
    return app
