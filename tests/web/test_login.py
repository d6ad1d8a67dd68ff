"""Log in with Discord (the emulator's OAuth2 with PKCE), then a member's own pages: only their
servers, only their data; the same export and delete as `/privacy`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import DiscordEmulator
from tests.conftest import World, build_world
from tests.web.helpers import Site, bank, companion, graded_answer, log_in

pytestmark = pytest.mark.both_databases

QUESTION = "pin-coding-hamming-near-duplicates"


@pytest.fixture
async def site(emu: DiscordEmulator, database: Path | str) -> AsyncIterator[Site]:
    async with companion(emu, database) as running:
        yield running


async def test_login_lands_on_the_servers_shared_with_the_bot(
    site: Site, world: World, emu: DiscordEmulator
) -> None:
    elsewhere = build_world(emu, "A server the bot never saw")
    await site.store.members.remember(world.guild.id, world.alice.id, "alice")
    emu.add_member(elsewhere.guild, "alice", user=world.alice.user)
    async with site.client() as browser:
        page = await log_in(site, browser, world.alice.id)
        assert world.guild.name in page and elsewhere.guild.name not in page
        assert "admin" not in page  # alice cannot manage the server
    assert emu.oauth.refused == []


async def test_a_forged_or_stale_callback_logs_nobody_in(site: Site, world: World) -> None:
    async with site.client() as browser:
        async with browser.get(f"{site.url}/callback?code=made-up&state=made-up") as response:
            assert response.status == 400 and "log in again" in await response.text()
        async with browser.get(f"{site.url}/me", allow_redirects=False) as response:
            assert response.status == 302 and response.headers["Location"] == "/login"


async def test_progress_answers_and_feedback_are_the_members_own(site: Site, world: World) -> None:
    await graded_answer(site.store, world.guild.id, world.alice.id, QUESTION)
    async with site.client() as browser:
        await log_in(site, browser, world.alice.id)
        async with browser.get(f"{site.url}/me/g/{world.guild.id}") as response:
            page = await response.text()
        assert response.status == 200
        assert "<svg" in page and "Grades over time" in page
        assert bank().get(QUESTION).title in page  # type: ignore[union-attr]
        assert page.count("<details>") == 1
    async with site.client() as bob_browser:
        await log_in(site, bob_browser, world.bob.id)
        async with bob_browser.get(f"{site.url}/me/g/{world.guild.id}") as response:
            assert "<details>" not in await response.text()  # bob has no answers of alice's


async def test_export_then_delete_with_the_forms_checks(site: Site, world: World) -> None:
    await graded_answer(site.store, world.guild.id, world.alice.id, QUESTION)
    async with site.client() as browser:
        await log_in(site, browser, world.alice.id)
        async with browser.get(f"{site.url}/me/g/{world.guild.id}/export") as response:
            document = await response.json(content_type=None)
        assert document["user_id"] == world.alice.id and document["answers"]
        delete = f"{site.url}/me/g/{world.guild.id}/delete"
        async with browser.post(delete, data={"csrf": "forged", "confirm": "delete"}) as response:
            assert response.status == 403
        async with browser.get(f"{site.url}/me/g/{world.guild.id}") as response:
            page = await response.text()
        csrf = page.split('name="csrf" value="')[1].split('"')[0]
        async with browser.post(delete, data={"csrf": csrf, "confirm": "no"}) as response:
            assert response.status == 400
        assert (await site.store.privacy.export_member(world.guild.id, world.alice.id))["answers"]
        async with browser.post(delete, data={"csrf": csrf, "confirm": "delete"}) as response:
            assert response.status == 200 and "was removed" in await response.text()
        assert not (await site.store.privacy.export_member(world.guild.id, world.alice.id))[
            "answers"
        ]


async def test_the_client_secret_never_reaches_a_page_or_a_log(
    site: Site, world: World, emu: DiscordEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await graded_answer(site.store, world.guild.id, world.alice.id, QUESTION)
    secret = emu.oauth.client_secret
    pages = []
    async with site.client() as browser:
        pages.append(await log_in(site, browser, world.alice.id))
        for path in ("/", "/me", f"/me/g/{world.guild.id}", f"/g/{world.guild.id}"):
            async with browser.get(f"{site.url}{path}") as response:
                pages.append(await response.text())
                pages.append(str(response.headers))
        cookies = [c.value for c in browser.cookie_jar]
    assert pages and not any(secret in page for page in pages)
    assert not any(secret in cookie for cookie in cookies)
    assert secret not in caplog.text
