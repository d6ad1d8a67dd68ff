"""Helpers for driving several bot processes at once (the multi-host test, the fan-out
benchmark): guilds all due now, and what the emulator saw of Discord's global limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from bot.domain.schedule import parse_post_time
from bot.store import Store


def busiest_second(times: list[float]) -> int:
    """The most requests inside any window of one second."""
    ordered, most, start = sorted(times), 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


async def schedule_all_due_now(location: str, channels: dict[int, int]) -> None:
    """Every guild's post due a minute ago (UTC) and configured yesterday: a bot process posts
    them all as soon as it is ready (its catch-up), so every process fans out at once."""
    now = datetime.now(UTC)
    post_at = max(now - timedelta(minutes=1), now.replace(hour=0, minute=0, second=0))
    store = Store(location)
    await store.open()
    try:
        for guild_id, channel_id in channels.items():
            await store.guilds.save_schedule(
                guild_id,
                channel_id=channel_id,
                post_time=parse_post_time(post_at.strftime("%H:%M")),
                timezone="UTC",
                ping_role_id=None,
                config_channel_id=None,
                now=now - timedelta(days=1),
            )
    finally:
        await store.close()


def port_of(url: str) -> int:
    parts = urlsplit(url)
    if parts.port is None:
        raise ValueError(f"{url} names no port")
    return parts.port
