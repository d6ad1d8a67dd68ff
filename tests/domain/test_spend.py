"""Prices, the guild's day and the order in which the daily limits apply."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.grading import Usage
from bot.domain.spend import (
    Fallback,
    GradingLimits,
    admission,
    cost_usd,
    day_window,
    price_of,
    total_tokens,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_haiku_prices_per_million_tokens() -> None:
    assert cost_usd(Usage(1_000_000, 0, 0, 0), "claude-haiku-5-5") == pytest.approx(0.10)
    assert cost_usd(Usage(0, 1_000_000, 0, 0), "claude-haiku-5-5") == pytest.approx(0.50)
    # Cache reads at a tenth of input, writes at a quarter more.
    assert cost_usd(Usage(0, 0, 1_000_000, 0), "claude-haiku-5-5") == pytest.approx(0.01)
    assert cost_usd(Usage(0, 0, 0, 1_000_000), "claude-haiku-5-5") == pytest.approx(0.125)


def test_dated_snapshot_uses_its_alias_price_and_unknown_models_have_none() -> None:
    assert price_of("claude-haiku-5-5-20261001") == price_of("claude-haiku-5-5")
    assert price_of("claude-haiku-5-50") is None
    assert cost_usd(Usage(10, 10, 0, 0), "some-other-model") is None


def test_total_tokens_counts_every_kind() -> None:
    assert total_tokens(Usage(1, 2, 3, 4)) == 10


def test_day_window_is_the_local_day_including_dst_changes() -> None:
    window = day_window(datetime(2026, 11, 26, 23, 30, tzinfo=UTC), BERLIN)
    assert window.local_date == "2026-11-27"
    assert window.start == datetime(2026, 11, 26, 23, 0, tzinfo=UTC)
    assert window.end == datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    spring = day_window(datetime(2026, 3, 29, 12, 0, tzinfo=UTC), BERLIN)
    assert (spring.end - spring.start).total_seconds() == 23 * 3600


def test_admission_checks_the_server_budget_before_the_member_limit() -> None:
    limits = GradingLimits(member_daily_answers=2, guild_daily_tokens=1000)
    resets = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    assert (
        admission(limits, member_graded_today=1, guild_tokens_today=999, resets_at=resets) is None
    )
    assert admission(
        limits, member_graded_today=2, guild_tokens_today=0, resets_at=resets
    ) == Fallback("member_limit", resets)
    assert admission(
        limits, member_graded_today=5, guild_tokens_today=1000, resets_at=resets
    ) == Fallback("guild_budget", resets)
    off = GradingLimits(member_daily_answers=0, guild_daily_tokens=1000)
    assert admission(off, member_graded_today=0, guild_tokens_today=0, resets_at=resets) == (
        Fallback("member_limit", resets)
    )
