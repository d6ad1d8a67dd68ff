"""Every route of the companion, walked by a logged-in member with the ids of a server they are
not in and of another member's mock round: each answers 404 and shows nothing of the other's."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from emulator import DiscordEmulator
from tests.conftest import build_world
from tests.web.helpers import Site, companion, graded_answer, log_in

QUESTION = "pin-coding-hamming-near-duplicates"
T = datetime(2026, 11, 26, 9, 0, tzinfo=UTC).isoformat()


async def mock_round(site: Site, guild_id: int, user_id: int, secret: str) -> int:
    async with site.store.db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO mock_rounds (guild_id, user_id, channel_id, question_id, round, "
            "difficulty, time_box_minutes, status, local_date, started_at, last_turn_at) "
            "VALUES (?, ?, 1, ?, 'coding', 'easy', 45, 'closed', '2026-11-26', ?, ?) "
            "RETURNING round_id",
            (guild_id, user_id, QUESTION, T, T),
        )
        round_id = int((await cursor.fetchone())["round_id"])
        await conn.execute(
            "INSERT INTO mock_turns (round_id, seq, speaker, content, source, created_at) "
            "VALUES (?, 1, 'candidate', ?, 'modal', ?)",
            (round_id, secret, T),
        )
    return round_id


async def test_every_route_refuses_another_servers_and_another_members_ids(
    emu: DiscordEmulator, tmp_path: Path
) -> None:
    ours, theirs = build_world(emu, "Ours"), build_world(emu, "Theirs")
    async with companion(emu, tmp_path / "bot.db") as site:
        await graded_answer(site.store, ours.guild.id, ours.alice.id, QUESTION)
        await graded_answer(site.store, theirs.guild.id, theirs.bob.id, QUESTION)
        bobs_round = await mock_round(site, ours.guild.id, ours.bob.id, "bob's secret turn")
        theirs_round = await mock_round(site, theirs.guild.id, theirs.bob.id, "their secret turn")
        mine = await mock_round(site, ours.guild.id, ours.alice.id, "alice own turn")
        paths = sorted(
            {
                (route.method, route.resource.canonical)
                for route in site.app.router.routes()
                if route.resource is not None
                and "{guild_id}" in route.resource.canonical
                and route.method in ("GET", "POST")
            }
        )
        assert len(paths) >= 4, paths
        async with site.client() as browser:
            await log_in(site, browser, ours.alice.id)
            walked = 0
            for verb, template in paths:
                for guild_id, round_id in (
                    (theirs.guild.id, theirs_round),
                    (ours.guild.id, bobs_round),
                    (theirs.guild.id, mine),
                ):
                    if "{round_id}" not in template and guild_id == ours.guild.id:
                        continue  # alice's own server's pages are hers
                    if template.startswith("/g/"):
                        continue  # the public board: tested on its own
                    path = template.replace("{guild_id}", str(guild_id))
                    path = path.replace("{round_id}", str(round_id))
                    method = browser.post if verb == "POST" else browser.get
                    async with method(f"{site.url}{path}", data={}) as response:
                        text = await response.text()
                    walked += 1
                    assert response.status == 404, (path, response.status)
                    assert "secret" not in text and "Theirs" not in text, path
            async with browser.get(f"{site.url}/me/g/{ours.guild.id}/mocks/{mine}") as response:
                assert response.status == 200 and "alice own turn" in await response.text()
        print(f"route-isolation sweep: {walked} requests over {len(paths)} routes, all 404")
    assert walked >= 8
