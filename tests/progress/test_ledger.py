"""The ledger and its per-period totals on a real SQLite file: resubmissions counted once, the
daily cap, ties, hiding and showing, deletions, and the migration's backfill."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.content.loader import load_bank
from bot.domain.clock import ManualClock
from bot.domain.points import DAILY_CAP
from bot.services.catalog import Catalog
from bot.services.leaderboard import PAGE_SIZE, LeaderboardService
from bot.services.points import PointsService
from bot.store import Store
from bot.store.database import MIGRATIONS_DIR
from tests.stores import NOW, award
from tests.stores import store as store  # the fixture

pytestmark = pytest.mark.both_databases

GUILD = 1


@pytest.fixture
def services(store: Store) -> tuple[PointsService, LeaderboardService]:
    clock = ManualClock(NOW)
    points = PointsService(store, clock)
    return points, LeaderboardService(store, clock, Catalog(load_bank(), store), points)


async def give(store: Store, user: int, amount: int, **options: Any) -> int:
    return await award(store, GUILD, user, amount, **options)


async def totals(store: Store, user: int) -> dict[tuple[str, str], int]:
    return await store.points.totals(GUILD, user, ("all", "w2026-11-23", "m2026-11"))


async def test_an_award_made_again_counts_once(store: Store) -> None:
    await give(store, 7, 8)
    await give(store, 7, 20)  # the resubmission's better grade replaces the first
    rows = list(await store.db.fetchall("SELECT amount FROM points"))
    assert [r["amount"] for r in rows] == [20]
    assert await totals(store, 7) == {
        (period, round_key): 20
        for period in ("all", "w2026-11-23", "m2026-11")
        for round_key in ("", "coding")
    }


async def test_an_award_made_again_keeps_its_first_day(store: Store) -> None:
    await give(store, 7, 8, day="2026-11-29")  # Sunday
    await give(store, 7, 9, day="2026-11-30")  # re-graded on Monday: still Sunday's work
    assert (await totals(store, 7))[("w2026-11-23", "")] == 9
    assert await store.points.worked_days(GUILD, 7, "2026-11-01") == ["2026-11-29"]


async def test_the_daily_cap_limits_work_but_not_the_streak_bonus(store: Store) -> None:
    counted = [await give(store, 7, 20, ref=str(i), kind="practice") for i in range(4)]
    assert counted == [20, 20, 20, 0] and sum(counted) == DAILY_CAP
    assert await give(store, 7, 20, ref="9", day="2026-11-27") == 20  # a new day
    # Re-grading a capped answer does not count the cap's room twice.
    assert await give(store, 7, 15, ref="1", kind="practice") == 15
    assert await give(store, 7, 20, ref="3", kind="practice") == 5
    await store.points.award_once(
        guild_id=GUILD,
        user_id=7,
        kind="streak",
        ref="2026-11-26",
        amount=10,
        local_date="2026-11-26",
        now=NOW,
    )
    assert (await totals(store, 7))[("all", "")] == DAILY_CAP + 20 + 10


async def test_ties_share_a_rank_and_pages_continue_it(
    store: Store, services: tuple[PointsService, LeaderboardService]
) -> None:
    _, board = services
    # 12 members: 30, 20, 20, 20, then 8 with 10 each.
    for user, amount in enumerate([30, 20, 20, 20] + [10] * 8, start=100):
        await give(store, user, amount)
    first = await board.page(GUILD, 111, "w2026-11-23", None, 0)
    assert [r.rank for r in first.rows] == [1, 2, 2, 2, 5, 5, 5, 5, 5, 5]
    assert first.has_next and first.viewer.rank == 5 and not first.viewer_on_page
    second = await board.page(GUILD, 111, "w2026-11-23", None, 1)
    assert [(r.rank, r.points) for r in second.rows] == [(5, 10), (5, 10)]
    assert not second.has_next and second.viewer_on_page
    assert len(first.rows) == PAGE_SIZE


async def test_hidden_members_are_left_out_and_come_back(
    store: Store, services: tuple[PointsService, LeaderboardService]
) -> None:
    _, board = services
    await give(store, 1, 30)
    await give(store, 2, 20)
    async with store.db.transaction() as conn:
        await conn.execute("UPDATE members SET hidden = 1 WHERE user_id = 1")
    page = await board.page(GUILD, 1, "all", None, 0)
    assert [r.user_id for r in page.rows] == [2] and page.rows[0].rank == 1
    assert page.viewer.hidden and page.viewer.rank is None
    await give(store, 1, 40, ref="2", day="2026-11-25")  # earned while hidden: stays hidden
    assert [r.user_id for r in (await board.page(GUILD, 2, "all", None, 0)).rows] == [2]
    async with store.db.transaction() as conn:
        await conn.execute("UPDATE members SET hidden = 0 WHERE user_id = 1")
    shown = await board.page(GUILD, 2, "all", None, 0)
    assert [(r.user_id, r.points) for r in shown.rows] == [(1, 70), (2, 20)]


async def test_deleting_a_members_points_leaves_no_totals(store: Store) -> None:
    await give(store, 5, 12)
    await give(store, 5, 3, ref="2", round_name=None)
    async with store.db.transaction() as conn:
        await conn.execute("DELETE FROM points WHERE user_id = 5")
    rows = list(await store.db.fetchall("SELECT * FROM points_totals WHERE user_id = 5"))
    assert rows == []


async def test_the_migration_backfills_totals(tmp_path: Path) -> None:
    earlier = tmp_path / "migrations"
    earlier.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql"))[:4]:
        shutil.copy(path, earlier / path.name)
    store = Store(tmp_path / "old.db")
    await store.db.open()
    try:
        await store.db.migrate(earlier)
        await store.db.conn.execute(
            "INSERT INTO members (guild_id, user_id, display_name, hidden) VALUES (1, 9, 'x', 1)"
        )
        await store.db.conn.executemany(
            "INSERT INTO points (guild_id, user_id, kind, ref, round, amount, local_date, "
            "earned_at) VALUES (1, 9, 'daily', ?, ?, ?, ?, '2026-11-01T00:00:00+00:00')",
            [("1", "coding", 5, "2026-10-31"), ("2", None, 7, "2026-11-02")],
        )
        assert 5 in await store.db.migrate()
        rows = await store.db.fetchall(
            "SELECT period, round, points, hidden FROM points_totals ORDER BY period, round"
        )
        assert [tuple(r) for r in rows] == [
            ("all", "", 12, 1),
            ("all", "coding", 5, 1),
            ("m2026-10", "", 5, 1),
            ("m2026-10", "coding", 5, 1),
            ("m2026-11", "", 7, 1),
            ("w2026-10-26", "", 5, 1),
            ("w2026-10-26", "coding", 5, 1),
            ("w2026-11-02", "", 7, 1),
        ]
    finally:
        await store.close()
