"""Streaks in the guild's own calendar: local dates, weekly freezes and admin restores.

A day counts when the member did work on that guild-local date, so answers at 23:59 and 00:01
make two days, and a 23- or 25-hour DST day is still one date. A missed day is bridged by a
freeze while its calendar week (Monday to Sunday) has one left, the most recent gaps first;
freezes keep a streak alive but add no days to it. A gap is bridged whole or not at all.
Freezes are derived from the days worked, whichever feature recorded the work, so nothing has
to be stored when a day is missed. Restored days (an admin's correction) count like worked ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

DEFAULT_FREEZES_PER_WEEK: Final = 1
MAX_FREEZES_PER_WEEK: Final = 3
MAX_RESTORE_DAYS: Final = 31
# How far back a streak is looked for; a longer one is shown as at least this long.
LOOKBACK_DAYS: Final = 400
ONE_DAY: Final = timedelta(days=1)
# Streak lengths that earn a role (when the guild set one), and the role's setting.
STREAK_MILESTONES: Final = ((7, "streak7"), (30, "streak30"))


def history_start(today: date) -> date:
    """The first day a streak as of `today` is read from: a week more than the lookback, so
    the oldest week's freezes are known."""
    return today - timedelta(days=LOOKBACK_DAYS + 7)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_key(day: date) -> str:
    """The summary table's key of the Monday-to-Sunday week holding `day`."""
    return f"w{week_start(day).isoformat()}"


def month_key(day: date) -> str:
    return f"m{day:%Y-%m}"


def days_between(first: date, last: date) -> list[date]:
    """Every date from `first` to `last`, both included (empty when first > last)."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass(frozen=True)
class StreakHistory:
    worked: frozenset[date]
    restored: frozenset[date] = frozenset()

    @property
    def counted(self) -> frozenset[date]:
        return self.worked | self.restored


@dataclass(frozen=True)
class Streak:
    current: int
    best: int
    counted_today: bool
    freezes_used: tuple[date, ...]  # the missed days the current streak survived
    freezes_left_this_week: int
    run_start: date | None
    # The missed days that ended the streak before this one (what an admin restore fills).
    break_gap: tuple[date, ...]


def _walk_back(
    counted: frozenset[date], anchor: date, allowance: int
) -> tuple[int, tuple[date, ...], date | None, tuple[date, ...]]:
    """From `anchor` back: (days counted, freezes used, run start, the gap that broke it)."""
    if not counted:
        return 0, (), None, ()
    floor = max(min(counted), anchor - timedelta(days=LOOKBACK_DAYS))
    spent: Counter[date] = Counter()
    frozen: list[date] = []
    gap: list[date] = []
    length = 0
    run_start = None
    day = anchor
    while day >= floor:
        if day in counted:
            frozen.extend(gap)
            spent.update(week_start(missed) for missed in gap)
            gap = []
            length += 1
            run_start = day
        else:
            gap.append(day)
            needed = Counter(week_start(missed) for missed in gap)
            if any(spent[week] + n > allowance for week, n in needed.items()):
                previous = max(d for d in counted if d < day)
                end = run_start - ONE_DAY if run_start else anchor
                broke = tuple(days_between(previous + ONE_DAY, end))
                return length, tuple(frozen), run_start, broke
        day -= ONE_DAY
    return length, tuple(frozen), run_start, ()


def compute_streak(history: StreakHistory, today: date, allowance: int) -> Streak:
    """The streak as of `today`, which is not over yet: not having worked today breaks nothing."""
    counted = history.counted
    anchor = today if today in counted else today - ONE_DAY
    length, frozen, run_start, break_gap = _walk_back(counted, anchor, allowance)
    this_week = week_start(today)
    used = sum(1 for day in frozen if week_start(day) == this_week)
    return Streak(
        current=length,
        best=max(length, best_streak(history, allowance)),
        counted_today=today in counted,
        freezes_used=tuple(sorted(frozen)),
        freezes_left_this_week=max(0, allowance - used),
        run_start=run_start,
        break_gap=break_gap,
    )


def best_streak(history: StreakHistory, allowance: int) -> int:
    """The longest streak, bridging gaps in time order with each week's freezes."""
    spent: Counter[date] = Counter()
    best = run = 0
    previous: date | None = None
    for day in sorted(history.counted):
        if previous is not None and day - previous > ONE_DAY:
            gap = days_between(previous + ONE_DAY, day - ONE_DAY)
            needed = Counter(week_start(missed) for missed in gap)
            if all(spent[week] + n <= allowance for week, n in needed.items()):
                spent.update(needed)
            else:
                run = 0
        run += 1
        best = max(best, run)
        previous = day
    return best


def restore_days(history: StreakHistory, today: date, allowance: int) -> tuple[date, ...]:
    """The missed days an admin restore fills: the gap that broke the member's latest streak,
    so the run before it joins the current one (or, when the streak is broken now, the days
    from the last counted one to yesterday). Empty when there is nothing to join."""
    return compute_streak(history, today, allowance).break_gap
