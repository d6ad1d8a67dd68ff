from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import UserError
from bot.domain.schedule import (
    DEFAULT_ROTATION,
    RotationSlot,
    next_post_at,
    parse_post_time,
    parse_rotation,
    parse_timezone,
    scheduled_instant,
    slot_for,
    suggest_timezones,
)

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    "text,expected", [("09:00", time(9)), ("7:05", time(7, 5)), ("23:59", time(23, 59))]
)
def test_valid_times(text: str, expected: time) -> None:
    assert parse_post_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "9", "09:60", "nine", "", "09:00:00", "-1:00"])
def test_invalid_times_are_refused_with_the_format(text: str) -> None:
    with pytest.raises(UserError, match="HH:MM"):
        parse_post_time(text)


def test_unknown_timezone_is_refused() -> None:
    with pytest.raises(UserError, match="not a timezone"):
        parse_timezone("Mars/Olympus")
    assert parse_timezone(" Europe/Berlin ").key == "Europe/Berlin"


def test_timezone_suggestions_prefer_prefix_and_city() -> None:
    assert suggest_timezones("europe/ber")[0] == "Europe/Berlin"
    assert "America/New_York" in suggest_timezones("new")
    assert len(suggest_timezones("a")) == 25
    assert suggest_timezones("")[0] == "UTC"


def test_spring_forward_gap_maps_to_the_shifted_time() -> None:
    # 2026-03-08 02:30 does not exist in New York; it posts at 03:30 EDT (07:30 UTC).
    instant = scheduled_instant(date(2026, 3, 8), time(2, 30), NY)
    assert instant == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert instant.astimezone(NY).hour == 3


def test_fall_back_repeated_hour_maps_to_its_first_occurrence() -> None:
    # 2026-11-01 01:30 happens twice in New York; the first is EDT (05:30 UTC).
    assert scheduled_instant(date(2026, 11, 1), time(1, 30), NY) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


def test_next_post_is_today_before_the_time_and_tomorrow_after() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    morning = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    assert next_post_at(morning, time(9), berlin) == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    noon = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)
    assert next_post_at(noon, time(9), berlin) == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def test_rotation_default_one_easy_coding_day_and_a_sunday_recruiter_screen() -> None:
    rotation = parse_rotation(DEFAULT_ROTATION)
    assert slot_for(date(2026, 11, 23), rotation).round == "coding"  # Monday
    assert slot_for(date(2026, 11, 24), rotation).round == "system_design"
    saturday = slot_for(date(2026, 11, 28), rotation)
    assert (saturday.round, saturday.difficulty) == ("coding", "easy")
    assert slot_for(date(2026, 11, 29), rotation) == RotationSlot("recruiter_screen")
    assert sum(slot.difficulty == "easy" for slot in rotation) == 1


@pytest.mark.parametrize(
    "text,problem",
    [
        ("coding,coding", "seven slots"),
        ("cooking," * 6 + "coding", "not a round"),
        ("coding:trivial," + "coding," * 6, "not a difficulty"),
    ],
)
def test_bad_rotations_are_explained(text: str, problem: str) -> None:
    with pytest.raises(UserError, match=problem):
        parse_rotation(text.strip(","))
