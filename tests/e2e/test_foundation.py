"""The real bot against the emulator: start-up, sync, help, errors."""

from __future__ import annotations

import pytest

from bot.app import TREE_HASH_KEY
from emulator import InvalidInvocation
from tests.conftest import App
from tests.spec.checker import assert_requests_match_spec

pytestmark = pytest.mark.both_databases


async def test_first_start_syncs_and_a_restart_does_not(app: App) -> None:
    bot = await app.start()
    assert bot.synced_on_start
    names = {c["name"] for c in app.emu.commands()}
    assert {"daily", "help", "leaderboard", "questions"} <= names
    bot = await app.restart()
    assert not bot.synced_on_start
    assert await bot.services.store.meta.get(TREE_HASH_KEY) == await bot.tree_hash()


async def test_help_is_ephemeral_and_describes_the_bot(running: App) -> None:
    inter = await running.emu.slash(running.world.alice, running.world.daily, "help")
    assert inter.ephemeral
    assert "daily" in inter.text.lower()
    assert "The questions are in English" in inter.text
    assert_requests_match_spec(running.emu.requests)


async def test_unknown_command_is_rejected_by_the_emulator(running: App) -> None:
    with pytest.raises(InvalidInvocation):
        await running.emu.slash(running.world.alice, running.world.daily, "nonsense")


async def test_unexpected_error_shows_a_short_code(running: App, discord_errors) -> None:  # type: ignore[no-untyped-def]
    async def explode(guild_id: int) -> None:
        raise RuntimeError("boom")

    running.running.services.daily.status = explode  # type: ignore[method-assign]
    inter = await running.emu.slash(running.world.alice, running.world.daily, "daily status")
    assert inter.ephemeral
    assert "error code `E-" in inter.text
    code = inter.text.split("`")[1]
    assert any(code in r.getMessage() for r in discord_errors.records)
    discord_errors.records.clear()


async def test_the_synced_tree_carries_localizations_discord_accepts(app: App) -> None:
    await app.start()
    daily = next(c for c in app.emu.commands() if c["name"] == "daily")
    assert daily["name_localizations"]["fr"] == "quotidien"
    assert "en-US" not in (daily["name_localizations"] or {})
    setup = next(o for o in daily["options"] if o["name"] == "setup")
    assert setup["description_localizations"]["fr"].startswith("Programmer")
