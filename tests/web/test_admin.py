"""Admin pages: only for those who manage the server, asked of Discord again before every
change, forms with CSRF tokens; an import lists every error and adds nothing."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.domain.message import Channel
from bot.domain.schedule import parse_post_time
from bot.services.daily_notices import encode
from bot.services.ports import LowPool, PostProblem
from emulator import DiscordEmulator
from tests.conftest import World
from tests.web.helpers import Site, companion, log_in

pytestmark = pytest.mark.both_databases


@pytest.fixture
async def site(emu: DiscordEmulator, database: Path | str, world: World) -> AsyncIterator[Site]:
    async with companion(emu, database) as running:
        for member in (world.admin, world.alice):
            await running.store.members.remember(world.guild.id, member.id, member.name)
        yield running


async def csrf_of(browser: aiohttp.ClientSession, url: str) -> str:
    async with browser.get(url) as response:
        page = await response.text()
    return page.split('name="csrf" value="')[1].split('"')[0]


async def test_only_managers_see_the_admin_pages(site: Site, world: World) -> None:
    admin_url = f"{site.url}/admin/g/{world.guild.id}"
    async with site.client() as browser:
        page = await log_in(site, browser, world.admin.id)
        assert f'href="/admin/g/{world.guild.id}"' in page
        async with browser.get(admin_url) as response:
            assert response.status == 200 and "AI usage" in await response.text()
        async with browser.get(f"{admin_url}/questions?round=coding&difficulty=easy") as response:
            page = await response.text()
        assert response.status == 200 and "<code>pin-coding-" in page
        assert "System design" not in page.split("<tbody>")[1]  # filtered to coding
    async with site.client() as browser:
        await log_in(site, browser, world.alice.id)
        for path in ("", "/questions"):
            async with browser.get(f"{admin_url}{path}") as response:
                assert response.status == 404


async def test_limits_change_only_with_the_token_and_while_discord_agrees(
    site: Site, world: World, emu: DiscordEmulator
) -> None:
    admin_url = f"{site.url}/admin/g/{world.guild.id}"
    async with site.client() as browser:
        await log_in(site, browser, world.admin.id)
        csrf = await csrf_of(browser, admin_url)
        form = {"member_answers": "3", "server_tokens": "5000"}
        async with browser.post(f"{admin_url}/limits", data={**form, "csrf": "x"}) as response:
            assert response.status == 403
        async with browser.post(f"{admin_url}/limits", data={**form, "csrf": csrf}) as response:
            page = await response.text()
        assert response.status == 200 and "Limits saved" in page and 'value="3"' in page
        # The role that gave Manage Server is taken away: the session still says admin, but
        # Discord is asked again before the change.
        world.admin.role_ids.clear()
        form = {"member_answers": "7", "server_tokens": "", "csrf": csrf}
        async with browser.post(f"{admin_url}/limits", data=form) as response:
            assert response.status == 403 and "no longer" in await response.text()
    limits = await site.store.usage.limits(world.guild.id)
    assert limits.member_daily_answers == 3


async def test_an_import_lists_every_error_and_adds_nothing(site: Site, world: World) -> None:
    admin_url = f"{site.url}/admin/g/{world.guild.id}/questions"
    broken = "questions:\n  - id: Not An Id\n    round: cooking\n"
    async with site.client() as browser:
        await log_in(site, browser, world.admin.id)
        csrf = await csrf_of(browser, admin_url)
        async with browser.post(
            f"{admin_url}/import", data={"csrf": csrf, "yaml": broken}
        ) as response:
            page = await response.text()
    assert response.status == 400 and "Nothing was imported" in page
    assert page.count("<li>") >= 2  # every problem, not the first
    assert await site.store.questions.custom(world.guild.id) == []


async def test_the_kept_daily_problem_is_worded_not_shown_as_data(site: Site, world: World) -> None:
    now = datetime.now(UTC)
    await site.store.guilds.save_schedule(
        world.guild.id,
        channel_id=world.daily.id,
        post_time=parse_post_time("09:00"),
        timezone="UTC",
        ping_role_id=None,
        config_channel_id=None,
        now=now,
    )
    problem = PostProblem(
        "I am missing {permissions} in {channel}.",
        "Grant them to my role in that channel's permissions.",
        {"permissions": ("View Channel",), "channel": Channel(world.daily.id)},
        gave_up_after=3,
    )
    await site.store.guilds.set_error(world.guild.id, encode(problem), now)
    await site.store.guilds.set_warning(world.guild.id, encode(LowPool(2, "coding")))
    async with site.client() as browser:
        await log_in(site, browser, world.admin.id)
        async with browser.get(f"{site.url}/admin/g/{world.guild.id}") as response:
            page = html.unescape(await response.text())
    assert f"I am missing View Channel in channel {world.daily.id}." in page
    assert "I stopped retrying after 3 attempts today" in page
    assert "Only 2 unposted Coding questions left" in page
    assert '"kind"' not in page and "<#" not in page
