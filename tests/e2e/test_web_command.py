"""`/web public`: an admin turns the public board on and off; the reply says where it is."""

from __future__ import annotations

from tests.conftest import App


async def test_an_admin_turns_the_public_board_on_and_off(running: App) -> None:
    world, store = running.world, running.running.services.store
    shown = await running.emu.slash(world.admin, world.practice, "web public", state="on")
    assert shown.ephemeral and "public" in shown.text
    settings = await store.web.get(world.guild.id)
    assert settings.public and settings.guild_name == world.guild.name
    hidden = await running.emu.slash(world.admin, world.practice, "web public", state="off")
    assert "not public" in hidden.text and "404" in hidden.text
    assert not (await store.web.get(world.guild.id)).public
