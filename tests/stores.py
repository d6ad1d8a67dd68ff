"""A real store on the test's database, and the rows most store tests start from: a daily answer
to a posted question, and points awarded to a remembered member."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.models import StoredAnswer
from bot.domain.schedule import parse_post_time
from bot.store import Store

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday
DAY = "2026-11-26"


@pytest.fixture
async def store(database: Path | str) -> AsyncIterator[Store]:
    """The store on the `database` fixture's SQLite file or PostgreSQL database, migrated."""
    opened = Store(database)
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


async def daily_answer(
    store: Store,
    guild_id: int,
    user_id: int,
    *,
    question_id: str = "q",
    round_name: str = "coding",
    content: str = "an answer",
) -> StoredAnswer:
    """A member's answer to today's posted question (the guild scheduled if it is not yet)."""
    if await store.guilds.get(guild_id) is None:
        await store.guilds.save_schedule(
            guild_id,
            channel_id=1,
            post_time=parse_post_time("09:00"),
            timezone="UTC",
            ping_role_id=None,
            config_channel_id=None,
            now=NOW,
        )
    post = await store.posts.claim(
        guild_id, DAY, question_id=question_id, round_name=round_name, channel_id=1, now=NOW
    )
    assert post is not None
    return await store.answers.save_daily(
        guild_id=guild_id,
        user_id=user_id,
        post_id=post.post_id,
        question_id=question_id,
        content=content,
        locale=None,
        local_date=DAY,
        now=NOW,
    )


async def award(
    store: Store,
    guild_id: int,
    user_id: int,
    amount: int,
    *,
    name: str | None = None,
    ref: str = "1",
    kind: str = "daily",
    day: str = DAY,
    round_name: str | None = "coding",
    now: datetime = NOW,
) -> int:
    """Points for a member remembered by `name` (default 'member<id>'), recorded at `now`; the
    points counted."""
    await store.members.remember(guild_id, user_id, name or f"member{user_id}")
    awarded = await store.points.award(
        guild_id=guild_id,
        user_id=user_id,
        kind=kind,
        ref=ref,
        round_name=round_name,
        amount=amount,
        local_date=day,
        now=now,
    )
    return awarded.points
