"""Shared fixtures: the real bot on a fresh SQLite file, connected to the Discord emulator."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import InterviewBot
from bot.content.loader import QuestionBank
from bot.domain.clock import ManualClock
from bot.llm.base import Grader
from bot.settings import Settings
from bot.store.postgres import storable
from emulator import Channel, DiscordEmulator, Guild, Member, Role
from emulator.harness import ErrorLogWatcher, connected
from tests.databases import (
    BACKENDS,
    POSTGRES_URL_VARIABLE,
    REDIS_URL_VARIABLE,
    SKIPPED_REASON,
    postgres_url,
    redis_url,
)
from tests.databases import database as database  # the fixture, re-exported for every test


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_databases: run once on SQLite and once on PostgreSQL (`database`)"
    )
    if os.environ.get("CI") == "true" and postgres_url() is None:
        raise pytest.UsageError(
            f"CI=true but {POSTGRES_URL_VARIABLE} is not set: CI runs the PostgreSQL half too"
        )
    if os.environ.get("CI") == "true" and redis_url() is None:
        raise pytest.UsageError(
            f"CI=true but {REDIS_URL_VARIABLE} is not set: CI runs the Redis tests too"
        )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_databases") is not None
        metafunc.parametrize("database", BACKENDS if both else ("sqlite",), indirect=True)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if postgres_url() is None:
        terminalreporter.write_sep("=", f"SKIPPED {SKIPPED_REASON}", yellow=True, bold=True)


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
    # Set when the test runs on PostgreSQL (then db_path is unused).
    database_url: str | None = None
    grader: Grader | None = None
    bot: InterviewBot | None = None
    _stack: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "discord_token": "emulator-token",
            "discord_api_base_url": self.emu.api_base_url,
            "discord_gateway_url": self.emu.gateway_url,
            "bot_database_path": self.db_path,
            "bot_database_url": self.database_url,
            "anthropic_api_key": None,
            "bot_log_level": "INFO",
            # Tests act faster than any member; the cooldown tests turn them on.
            "bot_cooldowns": False,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    async def start(self, bank: QuestionBank | None = None, **overrides: Any) -> InterviewBot:
        """`bank` replaces the bundled packs (a test's own small pack)."""
        bot = InterviewBot(
            self.settings(**overrides),
            bank=bank,
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

    def as_stored(self, text: str) -> str:
        """What the store keeps of `text` (PostgreSQL cannot hold U+0000)."""
        return storable(text) if self.database_url else text

    @property
    def running(self) -> InterviewBot:
        assert self.bot is not None, "the bot is not running"
        return self.bot


@pytest.fixture
async def app(tmp_path: Path, database: Path | str) -> AsyncIterator[App]:
    async with DiscordEmulator() as emu:
        url = database if isinstance(database, str) else None
        harness = App(
            emu, build_world(emu), ManualClock(START), tmp_path / "bot.db", database_url=url
        )
        try:
            yield harness
        finally:
            await harness.stop()
            assert emu.internal_errors == []


@pytest.fixture
async def running(app: App) -> App:
    await app.start()
    return app
