"""The companion in a real browser: headless Chromium (Debian's, through Playwright) logs in
through the emulator's OAuth2, reads the board, a progress chart and a transcript, and an admin
changes a limit. Each page is saved as a screenshot (test-artifacts/web/), passes an axe-core
accessibility check and fits a phone's width."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from emulator import DiscordEmulator
from tests.conftest import World, build_world
from tests.web.helpers import Site, companion, graded_answer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "web"
PHONE = {"width": 390, "height": 844}
WIDER_THAN_THE_SCREEN = """() => Array.from(document.body.querySelectorAll('*'))
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''))"""
QUESTION = "pin-coding-hamming-near-duplicates"
T = datetime(2026, 11, 26, 9, 0, tzinfo=UTC).isoformat()

playwright_api = pytest.importorskip("playwright.async_api")
axe_api = pytest.importorskip("axe_playwright_python.async_playwright")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="Chromium is not installed (apt-get install -y chromium; .ci/run installs it)",
)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    assert CHROMIUM is not None, "CI must have Chromium"
    async with playwright_api.async_playwright() as driver:
        launched = await driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


async def seed(site: Site, world: World) -> int:
    await graded_answer(site.store, world.guild.id, world.alice.id, QUESTION)
    await site.store.web.set_public(world.guild.id, True, world.guild.name, datetime.now(UTC))
    await site.store.points.award(
        guild_id=world.guild.id,
        user_id=world.alice.id,
        kind="daily",
        ref="seed",
        round_name="coding",
        amount=12,
        local_date="2026-11-26",
        now=datetime.now(UTC),
    )
    await site.store.members.remember(world.guild.id, world.admin.id, "admin")
    async with site.store.db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO mock_rounds (guild_id, user_id, channel_id, question_id, round, "
            "difficulty, time_box_minutes, status, local_date, started_at, last_turn_at) "
            "VALUES (?, ?, 1, ?, 'coding', 'easy', 45, 'closed', '2026-11-26', ?, ?) "
            "RETURNING round_id",
            (world.guild.id, world.alice.id, QUESTION, T, T),
        )
        round_id = int((await cursor.fetchone())["round_id"])
        for seq, (speaker, text) in enumerate(
            [
                ("interviewer", "How would you compare two hashes?"),
                ("candidate", "XOR them and count the set bits: the Hamming distance."),
            ],
            start=1,
        ):
            await conn.execute(
                "INSERT INTO mock_turns (round_id, seq, speaker, content, source, created_at) "
                "VALUES (?, ?, ?, ?, 'modal', ?)",
                (round_id, seq, speaker, text, T),
            )
    return round_id


async def check(page: Any, name: str) -> None:
    """Screenshot, no serious accessibility violation, nothing wider than a phone."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = await axe_api.Axe().run(page)
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], (name, serious)
    await page.set_viewport_size(PHONE)
    wide = await page.evaluate(WIDER_THAN_THE_SCREEN)
    assert wide == [], f"{name} is wider than a phone: {wide}"
    await page.set_viewport_size({"width": 1280, "height": 900})


async def log_in(page: Any, site: Site, username: str) -> None:
    await page.goto(f"{site.url}/login")
    await page.select_option("select#user", label=username)
    await page.click("text=Authorize")
    await page.wait_for_url(f"{site.url}/me")


async def test_a_member_and_an_admin_in_a_real_browser(
    emu: DiscordEmulator, browser: Any, tmp_path: Path
) -> None:
    world = build_world(emu)
    async with companion(emu, tmp_path / "bot.db") as site:
        round_id = await seed(site, world)
        # axe runs its script through the DevTools protocol; the pages' own CSP stays on.
        member = await browser.new_context(bypass_csp=True)
        page = await member.new_page()
        await page.goto(f"{site.url}/g/{world.guild.id}")
        assert await page.locator("table tbody tr").count() == 1
        await check(page, "board")
        await log_in(page, site, "alice")
        await page.click(f"text={world.guild.name}")
        assert await page.locator("svg[role=img] polyline").count() >= 1
        await check(page, "progress")
        await page.goto(f"{site.url}/me/g/{world.guild.id}/mocks/{round_id}")
        assert "Hamming distance" in await page.inner_text("main")
        await check(page, "transcript")
        await member.close()

        admin = await browser.new_context(bypass_csp=True)
        page = await admin.new_page()
        await log_in(page, site, "admin")
        await page.goto(f"{site.url}/admin/g/{world.guild.id}")
        await page.fill("#member_answers", "4")
        await page.click("text=Save limits")
        assert "Limits saved" in await page.inner_text("main")
        await check(page, "admin")
        await admin.close()
        assert (await site.store.usage.limits(world.guild.id)).member_daily_answers == 4
