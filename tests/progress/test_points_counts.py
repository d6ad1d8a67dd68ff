"""The members per points value (migration 0019) that ranks are added up from: exact after any
sequence of awards, regrades, opt-outs, deletions and purges, across weeks and months; ranks
read from it equal counting the members above; and on PostgreSQL, transactions changing shared
counts concurrently neither deadlock nor lose a change."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.store import Store
from bot.store.database import MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR
from bot.store.points import PointsClaim, award_in, award_once_in
from tests.stores import NOW
from tests.stores import store as store  # the fixture

pytestmark = pytest.mark.both_databases

USERS = (1, 2, 3, 4, 5)
# Across a month's end and two weeks: every period key gets several values.
DAYS = ("2026-10-30", "2026-11-01", "2026-11-02", "2026-11-26")
ROUNDS = ("coding", "behavioral", None)
GUILDS = itertools.count(1_000)  # a guild per example: the examples share the test's store


@dataclass(frozen=True)
class Award:
    user: int
    ref: int  # the same ref again is a regrade: it replaces the amount
    amount: int
    day: str
    round_name: str | None


@dataclass(frozen=True)
class Hide:
    user: int
    hidden: bool


@dataclass(frozen=True)
class Delete:
    user: int


@dataclass(frozen=True)
class Purge:
    pass


Step = Award | Hide | Delete | Purge
STEPS = st.one_of(
    st.builds(
        Award,
        st.sampled_from(USERS),
        st.integers(1, 4),
        st.integers(-3, 25),
        st.sampled_from(DAYS),
        st.sampled_from(ROUNDS),
    ),
    st.builds(Hide, st.sampled_from(USERS), st.booleans()),
    st.builds(Delete, st.sampled_from(USERS)),
    st.just(Purge()),
)


async def apply(store: Store, guild: int, step: Step) -> None:
    if isinstance(step, Award):
        await store.members.remember(guild, step.user, f"member{step.user}")
        await store.points.award(
            guild_id=guild,
            user_id=step.user,
            kind="daily",
            ref=str(step.ref),
            round_name=step.round_name,
            amount=step.amount,
            local_date=step.day,
            now=NOW,
        )
    elif isinstance(step, Hide):
        await store.privacy.set_hidden(guild, step.user, f"member{step.user}", step.hidden)
    elif isinstance(step, Delete):
        await store.privacy.delete_member(guild, step.user)
    else:
        await store.privacy.record_departure(guild, NOW - timedelta(days=40))
        assert await store.privacy.purge_guild(guild, NOW) is not None


async def counts(store: Store, guild: int) -> set[tuple[str, str, int, int]]:
    rows = await store.db.fetchall(
        "SELECT period, round, points, members FROM points_counts WHERE guild_id = ?", (guild,)
    )
    return {tuple(row) for row in rows}


async def recount(store: Store, guild: int) -> set[tuple[str, str, int, int]]:
    rows = await store.db.fetchall(
        "SELECT period, round, points, COUNT(*) AS members FROM points_totals "
        "WHERE guild_id = ? AND hidden = 0 GROUP BY period, round, points",
        (guild,),
    )
    return {tuple(row) for row in rows}


async def assert_ranks_as_counted(store: Store, guild: int) -> None:
    rows = await store.db.fetchall(
        "SELECT DISTINCT period, round, points FROM points_totals WHERE guild_id = ?", (guild,)
    )
    for period, round_key, points in (tuple(row) for row in rows):
        counted = await store.db.fetchone(
            "SELECT COUNT(*) AS n FROM points_totals WHERE guild_id = ? AND period = ? "
            "AND round = ? AND hidden = 0 AND points > ?",
            (guild, period, round_key, points),
        )
        assert await store.points.count_above(guild, period, round_key, points) == counted["n"]


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEPS, min_size=1, max_size=25))
async def test_the_counts_equal_a_recount_after_any_changes(
    store: Store, steps: list[Step]
) -> None:
    guild = next(GUILDS)
    for step in steps:
        await apply(store, guild, step)
        assert await counts(store, guild) == await recount(store, guild), step
    await assert_ranks_as_counted(store, guild)
    assert all(members > 0 for *_, members in await counts(store, guild))


async def test_the_migration_counts_the_totals_kept_before_it(database: Path | str) -> None:
    opened = Store(database)
    await opened.open()
    try:
        for user, amount in ((1, 10), (2, 10), (3, 7), (4, 10)):
            await apply(opened, 7, Award(user, 1, amount, "2026-11-26", "coding"))
        await opened.privacy.set_hidden(7, 4, "member4", True)
        async with opened.db.transaction() as conn:
            await conn.execute("DELETE FROM points_counts")
            folder = MIGRATIONS_DIR if opened.db.engine == "sqlite" else POSTGRES_MIGRATIONS_DIR
            migration = folder / "0019_points_counts.sql"
            backfill = migration.read_text().rsplit("-- The totals kept before this migration.", 1)
            await conn.execute(backfill[1])
        assert await counts(opened, 7) == await recount(opened, 7)
        assert ("all", "", 10, 2) in await counts(opened, 7)
    finally:
        await opened.close()


async def regrade_with_bonus(store: Store, guild: int, user: int, first: int, then: int) -> None:
    """One transaction, several statements on the totals: an award, its regrade, a bonus."""
    async with store.db.transaction() as conn:
        for amount in (first, then):
            claim = PointsClaim(guild, user, "daily", "1", "coding", amount, "2026-11-26")
            await award_in(conn, claim, NOW, cap=1_000)
        bonus = PointsClaim(guild, user, "streak", f"{first}", None, 1, "2026-11-26")
        await award_once_in(conn, bonus, NOW)


async def test_concurrent_regrades_neither_deadlock_nor_lose_a_change(store: Store) -> None:
    if store.db.engine != "postgresql":
        pytest.skip("one writer at a time on SQLite: nothing runs concurrently")
    guild, users = 9, range(1, 41)
    for user in users:
        await apply(store, guild, Award(user, 1, 10 + user % 7, "2026-11-26", "coding"))
    for wave in range(6):
        # Members move up and down across each other's values, each in one transaction.
        await asyncio.gather(
            *(
                regrade_with_bonus(
                    store, guild, user, (user * 7 + wave * 5) % 30, (user * 11 + wave) % 30
                )
                for user in users
            )
        )
        assert await counts(store, guild) == await recount(store, guild)
    await assert_ranks_as_counted(store, guild)
