"""Streaks in the guild's local calendar: midnight, DST, weekly freezes, restores."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.schedule import local_date
from bot.domain.streaks import (
    StreakHistory,
    compute_streak,
    month_key,
    restore_days,
    week_key,
)


def days(*values: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(v) for v in values)


def span(first: str, last: str) -> frozenset[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return frozenset(start + timedelta(days=i) for i in range((end - start).days + 1))


def test_2359_and_0001_local_are_two_days() -> None:
    zone = ZoneInfo("America/Los_Angeles")
    # 23:59 and 00:01 in Los Angeles (UTC-8): both on the same UTC date, two local dates.
    late = local_date(datetime(2026, 11, 26, 7, 59, tzinfo=UTC), zone)
    early = local_date(datetime(2026, 11, 26, 8, 1, tzinfo=UTC), zone)
    assert (late, early) == (date(2026, 11, 25), date(2026, 11, 26))
    streak = compute_streak(StreakHistory(frozenset({late, early})), early, allowance=0)
    assert streak.current == 2 and streak.counted_today


def test_utc_midnight_is_not_a_local_day_boundary() -> None:
    zone = ZoneInfo(
        "Asia/Tokyo"
    )  # UTC+9: 23:30 and 00:30 UTC are 08:30 and 09:30 the same local day
    a = local_date(datetime(2026, 11, 25, 23, 30, tzinfo=UTC), zone)
    b = local_date(datetime(2026, 11, 26, 0, 30, tzinfo=UTC), zone)
    assert a == b == date(2026, 11, 26)


def test_dst_days_count_once() -> None:
    zone = ZoneInfo("America/New_York")
    # 1 November 2026 has 25 hours (fall back); 8 March 2026 has 23 (spring forward).
    fall = [
        datetime(2026, 11, 1, 4, 30, tzinfo=UTC),  # 00:30 EDT
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # 01:30 EDT
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),  # 01:30 EST, the repeated hour
        datetime(2026, 11, 2, 4, 30, tzinfo=UTC),  # 23:30 EST
    ]
    assert {local_date(t, zone) for t in fall} == {date(2026, 11, 1)}
    spring = [
        datetime(2026, 3, 8, 5, 0, tzinfo=UTC),  # 00:00 EST
        datetime(2026, 3, 9, 3, 59, tzinfo=UTC),  # 23:59 EDT
    ]
    assert {local_date(t, zone) for t in spring} == {date(2026, 3, 8)}
    worked = frozenset(
        local_date(t, zone) for t in [*fall, datetime(2026, 11, 2, 5, 30, tzinfo=UTC)]
    )
    streak = compute_streak(StreakHistory(worked), date(2026, 11, 2), allowance=0)
    assert streak.current == 2  # the 25-hour day is one day, not two


def test_today_not_yet_worked_keeps_the_streak() -> None:
    history = StreakHistory(span("2026-11-20", "2026-11-25"))
    streak = compute_streak(history, date(2026, 11, 26), allowance=0)
    assert streak.current == 6 and not streak.counted_today


def test_a_missed_day_without_freezes_breaks_the_streak() -> None:
    history = StreakHistory(span("2026-11-16", "2026-11-23") | days("2026-11-25", "2026-11-26"))
    assert compute_streak(history, date(2026, 11, 26), allowance=0).current == 2
    yesterday_missed = StreakHistory(span("2026-11-16", "2026-11-24"))
    assert compute_streak(yesterday_missed, date(2026, 11, 26), allowance=0).current == 0


def test_one_freeze_a_week_bridges_one_missed_day() -> None:
    # Worked Mon 16 .. Mon 23, missed Tue 24, worked Wed 25 and Thu 26.
    history = StreakHistory(span("2026-11-16", "2026-11-23") | days("2026-11-25", "2026-11-26"))
    streak = compute_streak(history, date(2026, 11, 26), allowance=1)
    assert streak.current == 10  # the frozen day keeps the streak but adds nothing
    assert streak.freezes_used == (date(2026, 11, 24),)
    assert streak.freezes_left_this_week == 0


def test_two_missed_days_in_one_week_need_two_freezes() -> None:
    history = StreakHistory(span("2026-11-16", "2026-11-23") | days("2026-11-26"))
    assert compute_streak(history, date(2026, 11, 26), allowance=1).current == 1
    assert compute_streak(history, date(2026, 11, 26), allowance=2).current == 9


def test_each_week_has_its_own_freeze() -> None:
    # Missed Sunday 22 (week of the 16th) and Tuesday 24 (week of the 23rd).
    history = StreakHistory(
        span("2026-11-16", "2026-11-21") | days("2026-11-23") | span("2026-11-25", "2026-11-26")
    )
    streak = compute_streak(history, date(2026, 11, 26), allowance=1)
    assert streak.current == 9
    assert streak.freezes_used == (date(2026, 11, 22), date(2026, 11, 24))


def test_yesterday_missed_is_frozen_while_the_week_has_one() -> None:
    history = StreakHistory(span("2026-11-20", "2026-11-24"))
    alive = compute_streak(history, date(2026, 11, 26), allowance=1)
    assert alive.current == 5 and alive.freezes_used == (date(2026, 11, 25),)
    assert compute_streak(history, date(2026, 11, 27), allowance=1).current == 0


def test_restore_fills_the_gap_that_broke_the_streak() -> None:
    history = StreakHistory(span("2026-11-10", "2026-11-20") | days("2026-11-24", "2026-11-25"))
    today = date(2026, 11, 26)
    before = compute_streak(history, today, allowance=0)
    assert before.current == 2
    gap = restore_days(history, today, allowance=0)
    assert gap == tuple(sorted(span("2026-11-21", "2026-11-23")))
    after = compute_streak(StreakHistory(history.worked, frozenset(gap)), today, allowance=0)
    assert after.current == 11 + 3 + 2  # restored days count like worked ones
    # Nothing left to join: the history starts with this streak.
    again = StreakHistory(history.worked, frozenset(gap))
    assert restore_days(again, today, allowance=0) == ()


def test_restore_of_a_streak_broken_now_reaches_yesterday() -> None:
    history = StreakHistory(span("2026-11-10", "2026-11-20"))
    gap = restore_days(history, date(2026, 11, 26), allowance=0)
    assert gap == tuple(sorted(span("2026-11-21", "2026-11-25")))


def test_best_streak_and_period_keys() -> None:
    history = StreakHistory(span("2026-10-01", "2026-10-20") | span("2026-11-20", "2026-11-26"))
    streak = compute_streak(history, date(2026, 11, 26), allowance=0)
    assert (streak.current, streak.best) == (7, 20)
    assert week_key(date(2026, 11, 29)) == "w2026-11-23"  # Sunday belongs to Monday's week
    assert week_key(date(2026, 11, 30)) == "w2026-11-30"
    assert month_key(date(2026, 11, 30)) == "m2026-11"
