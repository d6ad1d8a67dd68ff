"""Cost controls through the grading service and a real SQLite file."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.clock import ManualClock
from bot.domain.errors import UserError
from bot.domain.grading import Usage
from bot.domain.schedule import parse_post_time
from bot.domain.spend import RESERVED_TOKENS
from bot.llm.usage import LlmCall, UsageScope
from bot.services.grading import DEFAULT_LIMITS, GradingService
from bot.store import Store

pytestmark = pytest.mark.both_databases

GUILD, OTHER_GUILD, ALICE, BOB = 111, 222, 1, 2
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # 13:00 in Berlin


@pytest.fixture
async def setup(database: Path | str) -> AsyncIterator[tuple[GradingService, Store, ManualClock]]:
    store = Store(database)
    await store.open()
    clock = ManualClock(NOW)
    await store.guilds.save_schedule(
        GUILD,
        channel_id=5,
        post_time=parse_post_time("09:00"),
        timezone="Europe/Berlin",
        ping_role_id=None,
        config_channel_id=None,
        now=NOW,
    )
    yield GradingService(store, clock), store, clock
    await store.close()


def call(
    guild: int | None, user: int | None, tokens: int, model: str = "claude-haiku-5-5"
) -> LlmCall:
    return LlmCall(
        operation="grade",
        model=model,
        prompt_version="grade-v1",
        stop_reason="end_turn",
        usage=Usage(tokens, tokens // 10, 0, 0),
        scope=UsageScope(guild, user),
    )


async def test_limits_default_then_set_one_at_a_time(
    setup: tuple[GradingService, Store, ManualClock],
) -> None:
    grading, _, _ = setup
    assert await grading.limits(GUILD) == DEFAULT_LIMITS
    first = await grading.set_limits(
        GUILD, member_daily_answers=3, guild_daily_tokens=None, updated_by=9
    )
    assert (first.member_daily_answers, first.guild_daily_tokens) == (
        3,
        DEFAULT_LIMITS.guild_daily_tokens,
    )
    second = await grading.set_limits(
        GUILD, member_daily_answers=None, guild_daily_tokens=5000, updated_by=9
    )
    assert (second.member_daily_answers, second.guild_daily_tokens, second.customised) == (
        3,
        5000,
        True,
    )
    assert await grading.limits(OTHER_GUILD) == DEFAULT_LIMITS


@pytest.mark.parametrize(
    ("member", "tokens"), [(-1, None), (10_000, None), (None, -5), (None, 10**12)]
)
async def test_out_of_range_limits_change_nothing(
    setup: tuple[GradingService, Store, ManualClock], member: int | None, tokens: int | None
) -> None:
    grading, _, _ = setup
    with pytest.raises(UserError, match="Nothing was changed"):
        await grading.set_limits(
            GUILD, member_daily_answers=member, guild_daily_tokens=tokens, updated_by=9
        )
    assert await grading.limits(GUILD) == DEFAULT_LIMITS


async def test_budget_counts_this_guilds_calls_of_the_local_day(
    setup: tuple[GradingService, Store, ManualClock],
) -> None:
    grading, _, clock = setup
    await grading.set_limits(
        GUILD, member_daily_answers=None, guild_daily_tokens=1000, updated_by=9
    )
    clock.set(datetime(2026, 11, 25, 22, 30, tzinfo=UTC))  # 23:30 yesterday, Berlin
    await grading.record(call(GUILD, ALICE, 900))
    clock.set(NOW)
    await grading.record(call(OTHER_GUILD, ALICE, 900))
    await grading.record(call(None, None, 900))  # unattributed: counts for no guild
    await grading.record(call(GUILD, BOB, 500))
    admitted = await grading.admit(GUILD, ALICE)  # 550 of 1000 today
    assert admitted.admitted
    await grading.settle(admitted, answered=False)  # released: its reservation is gone
    await grading.record(call(GUILD, BOB, 450))  # 550 + 495 = 1045
    refused = (await grading.admit(GUILD, ALICE)).fallback
    assert refused is not None and refused.reason == "guild_budget"
    assert refused.resets_at == datetime(2026, 11, 26, 23, 0, tzinfo=UTC)  # Berlin midnight


async def test_parallel_admissions_never_overshoot_the_member_limit(
    setup: tuple[GradingService, Store, ManualClock],
) -> None:
    """Thirty answers graded at once by a member allowed five a day: exactly five calls are
    admitted, whatever the interleaving (each decision and its record are one transaction)."""
    grading, _, _ = setup
    await grading.set_limits(GUILD, member_daily_answers=5, guild_daily_tokens=None, updated_by=9)
    results = await asyncio.gather(*(grading.admit(GUILD, ALICE) for _ in range(30)))
    assert sum(r.admitted for r in results) == 5
    assert {r.fallback.reason for r in results if r.fallback} == {"member_limit"}
    # A failed call is released: it frees its place for the next answer.
    await grading.settle(next(r for r in results if r.admitted), answered=False)
    assert (await grading.admit(GUILD, ALICE)).admitted
    assert not (await grading.admit(GUILD, ALICE)).admitted
    assert (await grading.admit(GUILD, BOB)).admitted  # another member's own five


async def test_parallel_admissions_reserve_the_guild_budget_until_usage_is_known(
    setup: tuple[GradingService, Store, ManualClock],
) -> None:
    """Each admitted call holds its estimate against the budget until it answers, so calls
    made together cannot all slip under it; once answered, its real usage counts instead."""
    grading, _, _ = setup
    reserve = RESERVED_TOKENS["interview_turn"]
    budget = 4 * reserve - 1
    await grading.set_limits(
        GUILD, member_daily_answers=None, guild_daily_tokens=budget, updated_by=9
    )
    users = range(100, 120)
    results = await asyncio.gather(*(grading.admit(GUILD, u, "interview_turn") for u in users))
    admitted = [r for r in results if r.admitted]
    assert len(admitted) == 4  # 0, 1, 2 and 3 reservations were under the budget
    for turn in admitted:
        await grading.record(call(GUILD, 100, 10))  # each really used 11 tokens
        await grading.settle(turn, answered=True)
    assert (await grading.admit(GUILD, 100, "interview_turn")).admitted


async def test_report_sums_periods_with_costs_and_top_members(
    setup: tuple[GradingService, Store, ManualClock],
) -> None:
    grading, _, clock = setup
    for days_ago, user, tokens in [
        (0, ALICE, 10_000),
        (0, BOB, 2_000),
        (3, ALICE, 1_000),
        (20, BOB, 100),
        (40, ALICE, 7),
    ]:
        clock.set(NOW - timedelta(days=days_ago))
        await grading.record(call(GUILD, user, tokens))
    clock.set(NOW)
    await grading.record(call(GUILD, ALICE, 1_000, model="claude-unknown-9"))

    report = await grading.report(GUILD)
    today, week, month = report.periods
    assert (today.calls, week.calls, month.calls) == (3, 4, 5)
    assert today.tokens == 11_000 + 2_200 + 1_100
    assert today.unpriced_models == ("claude-unknown-9",)
    # Only the priced model counts in dollars: 12,000 in at $0.10/M and 1,200 out at $0.50/M.
    assert today.cost_usd == pytest.approx((12_000 * 0.10 + 1_200 * 0.50) / 1e6)
    assert report.top_members_today == ((ALICE, 12_100), (BOB, 2_200))
    assert report.timezone == "Europe/Berlin" and report.today.local_date == "2026-11-26"
