"""A grade, its points, the day's streak bonus, the streak milestones it reaches and the
settling of its AI call's admission are one transaction, on both databases: a failure between
them leaves none of them, a stand-in grade's points give way
to the final grade's, and two finalisations of one answer store one grade and count once."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.domain.models import StoredAnswer
from bot.domain.points import streak_bonus_points
from bot.store import Store
from bot.store.answers import PENDING_FALLBACK, GradeRecord
from bot.store.points import PointsClaim
from tests.stores import DAY, NOW, daily_answer
from tests.stores import store as store  # the fixture

pytestmark = pytest.mark.both_databases

GUILD, USER = 1, 7
RECORD = GradeRecord(4.0, 5, "claude", "m", "v1", json.dumps({"overall": 4.0}))
STAND_IN = replace(RECORD, grader="offline", model=None, fallback=PENDING_FALLBACK)


def claim(answer: StoredAnswer, amount: int) -> PointsClaim:
    return PointsClaim(GUILD, USER, "daily", str(answer.post_id), "coding", amount, DAY)


async def admission(store: Store) -> int:
    admitted, refused = await store.admissions.admit(
        guild_id=GUILD,
        user_id=USER,
        operation="grade",
        reserve_tokens=5000,
        counts_as_answer=True,
        day=(NOW - timedelta(hours=12), NOW + timedelta(hours=12)),
        decide=lambda answers, tokens: None,
        now=NOW,
    )
    assert admitted is not None and refused is None
    return admitted


async def state(store: Store) -> tuple[str | None, list[str], list[int], int]:
    """(the answer's status, its grades' graders, the ledger's amounts, the all-time total)."""
    answer = await store.db.fetchone("SELECT status FROM answers")
    grades = await store.db.fetchall("SELECT grader FROM grades ORDER BY grade_id")
    points = await store.db.fetchall("SELECT amount FROM points")
    total = await store.points.total(GUILD, USER)
    return (
        answer["status"] if answer else None,
        [g["grader"] for g in grades],
        [p["amount"] for p in points],
        total,
    )


async def reserved(store: Store, admission_id: int) -> int:
    row = await store.db.fetchone(
        "SELECT reserved_tokens FROM llm_admissions WHERE admission_id = ?", (admission_id,)
    )
    return int(row["reserved_tokens"])


async def test_grade_points_and_settle_are_written_together(store: Store) -> None:
    answer = await daily_answer(store, GUILD, USER)
    admitted = await admission(store)
    saved = await store.answers.save_grade(
        answer, RECORD, NOW, delivered=True, points=claim(answer, 16), admission_id=admitted
    )
    assert saved is not None and saved.awarded is not None and saved.awarded.points == 16
    assert await state(store) == ("graded", ["claude"], [16], 16)
    assert await reserved(store, admitted) == 0


async def test_a_constraint_violation_in_the_points_leaves_no_grade(store: Store) -> None:
    """The ledger refuses the points (NOT NULL on ref) after the grade row went in: the grade,
    the answer's status and the settling are rolled back with them."""
    answer = await daily_answer(store, GUILD, USER)
    admitted = await admission(store)
    broken = replace(claim(answer, 16), ref=None)  # type: ignore[arg-type]
    with pytest.raises((sqlite3.IntegrityError, asyncpg.NotNullViolationError)) as raised:
        await store.answers.save_grade(
            answer, RECORD, NOW, delivered=True, points=broken, admission_id=admitted
        )
    assert "null" in str(raised.value).lower()
    assert await state(store) == ("pending", [], [], 0)
    assert await reserved(store, admitted) == 5000
    # Nothing half-done stands in the way of the grade written properly afterwards.
    assert await store.answers.save_grade(
        answer, RECORD, NOW, delivered=True, points=claim(answer, 16)
    )
    assert await state(store) == ("graded", ["claude"], [16], 16)


async def streak_of_six_days(store: Store) -> None:
    """Practice on the six days before DAY, and a role for a 7-day streak."""
    for days_before in range(1, 7):
        day = (NOW - timedelta(days=days_before)).date().isoformat()
        await store.points.award(
            guild_id=GUILD,
            user_id=USER,
            kind="practice",
            ref=f"p{days_before}",
            round_name="coding",
            amount=5,
            local_date=day,
            now=NOW,
        )
    await store.progress.update_settings(
        GUILD, {"streak7_role_id": 777}, actor_id=1, action="test", now=NOW
    )


async def todays_rewards(store: Store) -> tuple[list[str], list[str]]:
    """(the ledger's kinds on DAY, the milestones granted)."""
    points = await store.db.fetchall(
        "SELECT kind FROM points WHERE local_date = ? ORDER BY kind", (DAY,)
    )
    milestones = await store.db.fetchall("SELECT milestone FROM milestone_grants")
    return [p["kind"] for p in points], [m["milestone"] for m in milestones]


async def test_the_streak_bonus_and_milestone_are_written_with_the_grade(store: Store) -> None:
    await streak_of_six_days(store)
    answer = await daily_answer(store, GUILD, USER)
    saved = await store.answers.save_grade(
        answer, RECORD, NOW, delivered=True, points=claim(answer, 16), milestone_roles=True
    )
    assert saved is not None and saved.rewards is not None
    assert saved.rewards.bonus == streak_bonus_points(7) > 0
    assert [(m.name, m.role_id) for m in saved.rewards.milestones] == [("streak7", 777)]
    assert await todays_rewards(store) == (["daily", "streak"], ["streak7"])


async def fail_milestone_inserts(store: Store) -> None:
    """A trigger that aborts any milestone claim: a failure after the grade, its points and
    the streak bonus are written."""
    async with store.db.transaction() as conn:
        if store.db.engine == "sqlite":
            await conn.execute(
                "CREATE TRIGGER fail_milestone BEFORE INSERT ON milestone_grants "
                "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )
            return
        await conn.execute(
            "CREATE FUNCTION fail_milestone() RETURNS trigger AS "
            "$$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql"
        )
        await conn.execute(
            "CREATE TRIGGER fail_milestone BEFORE INSERT ON milestone_grants "
            "FOR EACH ROW EXECUTE FUNCTION fail_milestone()"
        )


async def test_a_failure_after_the_streak_bonus_leaves_no_grade_points_or_bonus(
    store: Store,
) -> None:
    await streak_of_six_days(store)
    answer = await daily_answer(store, GUILD, USER)
    admitted = await admission(store)
    await fail_milestone_inserts(store)
    with pytest.raises((sqlite3.IntegrityError, asyncpg.RaiseError), match="injected failure"):
        await store.answers.save_grade(
            answer,
            RECORD,
            NOW,
            delivered=True,
            points=claim(answer, 16),
            admission_id=admitted,
            milestone_roles=True,
        )
    assert await todays_rewards(store) == ([], [])
    assert await state(store) == ("pending", [], [5] * 6, 30)
    assert await reserved(store, admitted) == 5000
    # Without milestone roles to give, nothing claims one: the grade goes through whole.
    saved = await store.answers.save_grade(
        answer, RECORD, NOW, delivered=True, points=claim(answer, 16)
    )
    assert saved is not None and saved.rewards is not None and saved.rewards.milestones == ()
    assert await todays_rewards(store) == (["daily", "streak"], [])


async def test_the_final_grade_replaces_the_stand_in_and_its_points(store: Store) -> None:
    answer = await daily_answer(store, GUILD, USER)
    await store.answers.mark_delayed(answer, NOW + timedelta(minutes=2), attempts=1)
    stand_in = await store.answers.save_grade(
        answer, STAND_IN, NOW, delivered=True, final=False, points=claim(answer, 8)
    )
    assert stand_in is not None
    assert await state(store) == ("delayed", ["offline"], [8], 8)
    final = await store.answers.save_grade(
        answer, RECORD, NOW, delivered=False, points=claim(answer, 20)
    )
    assert final is not None
    assert await state(store) == ("graded", ["claude"], [20], 20)
    # A late stand-in (the member's wait ended after the AI grade landed) changes nothing.
    late = await store.answers.save_grade(
        answer, STAND_IN, NOW, delivered=True, final=False, points=claim(answer, 8)
    )
    assert late is None
    assert await state(store) == ("graded", ["claude"], [20], 20)


async def test_concurrent_finalisations_store_one_grade_and_count_once(store: Store) -> None:
    answer = await daily_answer(store, GUILD, USER)
    await store.answers.mark_delayed(answer, NOW, attempts=1)
    first, second = await admission(store), await admission(store)
    results = await asyncio.gather(
        *(
            store.answers.save_grade(
                answer, RECORD, NOW, delivered=False, points=claim(answer, amount), admission_id=a
            )
            for amount, a in ((12, first), (20, second))
        )
    )
    won = [r for r in results if r is not None]
    assert len(won) == 1 and won[0].awarded is not None
    amount = won[0].awarded.points
    assert await state(store) == ("graded", ["claude"], [amount], amount)
    # Both calls answered: neither reservation outlives its call.
    assert [await reserved(store, a) for a in (first, second)] == [0, 0]


async def test_a_cancelled_grade_leaves_neither_grade_nor_points(
    store: Store, database: Path | str
) -> None:
    """A task cancelled while its transaction waits on the points row (another connection holds
    it) rolls back the grade it had written. PostgreSQL only: SQLite takes its write lock before
    the transaction starts, so nothing can hold it up half way."""
    if store.db.engine != "postgresql":
        pytest.skip("SQLite transactions cannot be held up half way")
    answer = await daily_answer(store, GUILD, USER)
    blocker = await asyncpg.connect(str(database))  # the test's schema, by its search_path
    try:
        holding = blocker.transaction()
        await holding.start()
        await blocker.execute(
            "INSERT INTO points (guild_id, user_id, kind, ref, round, amount, "
            "local_date, earned_at) VALUES ($1, $2, 'daily', $3, 'coding', 1, $4, $4)",
            GUILD,
            USER,
            str(answer.post_id),
            DAY,
        )
        task = asyncio.create_task(
            store.answers.save_grade(answer, RECORD, NOW, delivered=True, points=claim(answer, 16))
        )
        await wait_for_lock_wait(str(database), task)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await holding.rollback()
    finally:
        await blocker.close()
    assert await state(store) == ("pending", [], [], 0)


async def wait_for_lock_wait(url: str, task: asyncio.Task[object]) -> None:
    """Until some backend waits on a lock (the task's INSERT on the held row). Watched from a
    connection of its own: inside a transaction, pg_stat_activity would stay as first read."""
    watcher = await asyncpg.connect(url)
    try:
        async with asyncio.timeout(10):
            while not await watcher.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE '%INSERT INTO points (%' AND datname = current_database()"
            ):
                assert not task.done(), "the grade was saved without waiting on the held row"
                await asyncio.sleep(0.01)
    finally:
        await watcher.close()
