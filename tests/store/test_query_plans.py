"""The plans of the queries a page runs per member: each reads the index made for it, not one that
walks every member of the server (caught at 100,000 members by benchmarks/web_pages.py)."""

from __future__ import annotations

import pytest

from bot.store import Store
from tests.stores import award
from tests.stores import store as store  # the fixture

pytestmark = pytest.mark.both_databases

# bot/store/points.py, PointsStore.totals: a member's points in the current week and all time.
MEMBER_TOTALS = (
    "SELECT period, round, points FROM points_totals "
    "WHERE guild_id = ? AND user_id = ? AND period IN (?, ?)"
)


async def plan(store: Store, sql: str, params: tuple[object, ...]) -> str:
    postgres = store.db.engine == "postgresql"
    async with store.db.transaction() as conn:
        if postgres:
            # A handful of rows would be read whole; the question is which index serves the query.
            await conn.execute("SET LOCAL enable_seqscan = off")
        cursor = await conn.execute(
            ("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + sql, params
        )
        rows = await cursor.fetchall()
    return "\n".join(" ".join(str(value) for value in tuple(row)) for row in rows)


async def test_a_members_totals_read_their_own_index(store: Store) -> None:
    for user_id in range(1, 40):
        await award(store, 1, user_id, 10, ref=str(user_id))
    found = await plan(store, MEMBER_TOTALS, (1, 7, "w2026-11-23", "all"))
    assert "points_totals_member_periods" in found, found
    assert "points_totals_ranking" not in found, found
