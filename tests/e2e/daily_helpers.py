"""Steps shared by the daily end-to-end tests."""

from __future__ import annotations

from datetime import UTC, datetime

from emulator import Channel, InteractionRecord, Member, Message
from tests.conftest import App

STRONG_ANSWER = (
    "I would do a BFS from the start board, level by level, keeping a visited set that I mark "
    "on enqueue so cycles and duplicate edges do not loop or double count. I stop expanding "
    "after k levels and count every newly visited board, excluding s. With an adjacency list "
    "this is O(n + e) time and O(n + e) space. Edge cases: k = 0 returns 0, a self-loop is "
    "ignored, an isolated start board gives 0. I tested the cyclic example by hand."
)


async def setup_daily(
    app: App,
    *,
    time: str = "09:00",
    timezone: str = "Europe/Berlin",
    channel: Channel | None = None,
) -> InteractionRecord:
    return await app.emu.slash(
        app.world.admin,
        app.world.practice,
        "daily setup",
        channel=channel or app.world.daily,
        time=time,
        timezone=timezone,
    )


async def fire(app: App) -> None:
    """Run the guild's cron job body, as APScheduler would at the scheduled minute."""
    await app.running.services.scheduler.fire(app.world.guild.id)


def daily_posts(app: App) -> list[Message]:
    return [
        m
        for m in app.emu.messages(app.world.daily)
        if m.embeds and str(m.embeds[0].get("title", "")).startswith("Daily question")
    ]


def at(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


async def answer(app: App, member: Member, post: Message, text: str) -> InteractionRecord:
    opened = await app.emu.click(member, post, label="Answer")
    assert opened.modal is not None, opened.text
    submitted = await app.emu.submit_modal(member, opened, {"answer": text})
    await submitted.wait_for_followups(1)
    return submitted
