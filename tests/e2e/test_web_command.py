"""`/web public`: an admin turns the public board on and off; the reply says where it is."""

from __future__ import annotations

from emulator import Message
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


async def test_leaderboard_and_rank_link_to_the_public_board(app: App) -> None:
    await app.start(bot_web_base_url="https://prep.example.org")
    world = app.world
    board_url = f"https://prep.example.org/g/{world.guild.id}"

    def links(message: Message | None) -> list[str]:
        assert message is not None
        return [str(b.get("url")) for b in message.buttons if b.get("url")]

    board = await app.emu.slash(world.alice, world.practice, "leaderboard")
    assert links(board.original) == []  # not public yet
    await app.emu.slash(world.admin, world.practice, "web public", state="on")
    board = await app.emu.slash(world.alice, world.practice, "leaderboard")
    assert links(board.original) == [board_url]
    rank = await app.emu.slash(world.alice, world.practice, "rank")
    await rank.wait_for_followups(1)
    assert links(rank.followups[-1]) == [board_url]
