"""Peer matching, time windows, session rules and feedback scores: pure functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.content.schema import Difficulty, Round
from bot.domain.errors import UserError
from bot.domain.peer_feedback import parse_scores, score_template
from bot.domain.peer_matching import (
    MIN_SESSION,
    QueueEntry,
    choose_partner,
    level_distance,
    parse_when,
    queue_position,
)
from bot.domain.peer_session import (
    PeerSession,
    absent_member,
    due_nudges,
    half_earns_points,
)

NOW = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # Thursday, 08:00 in Berlin
BERLIN = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)


def entry(
    entry_id: int,
    user_id: int,
    *,
    round_name: Round = "coding",
    level: Difficulty | None = None,
    joined: timedelta = timedelta(0),
    earliest: datetime | None = None,
    latest: datetime | None = None,
    front: bool = False,
) -> QueueEntry:
    joined_at = NOW - HOUR + joined
    return QueueEntry(
        entry_id=entry_id,
        guild_id=1,
        user_id=user_id,
        round=round_name,
        level=level,
        channel_id=9,
        joined_at=joined_at,
        earliest=earliest or joined_at,
        latest=latest or NOW + HOUR,
        windowed=earliest is not None,
        front=front,
    )


# ---------------------------------------------------------------- matching
def test_same_round_only_and_the_earlier_joiner_interviews_first() -> None:
    alice = entry(1, 100, joined=timedelta(minutes=1))
    bob = entry(2, 200, round_name="behavioral")
    carol = entry(3, 300, joined=timedelta(minutes=5))
    match = choose_partner(carol, [alice, bob], set(), NOW)
    assert match is not None
    assert (match.first.user_id, match.second.user_id) == (100, 300)
    assert match.starts_now(NOW)
    assert choose_partner(entry(4, 400, round_name="ml_design"), [alice, bob], set(), NOW) is None


def test_similar_level_is_preferred_over_queue_order() -> None:
    hard = entry(1, 100, level="hard")
    medium = entry(2, 200, level="medium", joined=timedelta(minutes=1))
    easy = entry(3, 300, level="easy", joined=timedelta(minutes=2))
    joiner = entry(4, 400, level="easy", joined=timedelta(minutes=3))
    match = choose_partner(joiner, [hard, medium, easy], set(), NOW)
    assert match is not None and match.first.user_id == 300
    # Without an exact fit the nearest level wins, and "any level" fits everyone fairly well.
    assert level_distance("easy", "medium") < level_distance("easy", "hard")
    assert level_distance(None, "hard") < level_distance("easy", "medium")
    anyone = choose_partner(entry(5, 500, joined=timedelta(minutes=3)), [hard, medium], set(), NOW)
    assert anyone is not None and anyone.first.user_id == 100  # all equal: queue order


def test_recent_partners_are_avoided_only_when_someone_else_waits() -> None:
    bob = entry(1, 200)
    carol = entry(2, 300, joined=timedelta(minutes=1), level="hard")
    alice = entry(3, 100, joined=timedelta(minutes=2))
    match = choose_partner(alice, [bob, carol], {200}, NOW)
    assert match is not None and match.first.user_id == 300
    alone = choose_partner(alice, [bob], {200}, NOW)
    assert alone is not None and alone.first.user_id == 200


def test_windows_must_overlap_and_the_slot_is_the_first_shared_minute() -> None:
    evening = NOW.replace(hour=17)
    bob = entry(1, 200, earliest=evening, latest=evening + HOUR)  # 18:00-19:30 Berlin
    carol = entry(2, 300, earliest=evening + 3 * HOUR, latest=evening + 4 * HOUR)
    alice = entry(3, 100, earliest=evening + HOUR / 2, latest=evening + 5 * HOUR)
    match = choose_partner(alice, [bob, carol], set(), NOW)
    assert match is not None and match.first.user_id == 200
    assert match.starts_at == evening + HOUR / 2 and not match.starts_now(NOW)
    assert choose_partner(carol, [bob], set(), NOW) is None
    now_only = entry(4, 400, joined=timedelta(minutes=59))
    assert choose_partner(now_only, [bob, carol], set(), NOW) is None


def test_expired_entries_and_self_are_never_matched() -> None:
    stale = entry(1, 200, latest=NOW - timedelta(seconds=1))
    me_again = entry(2, 100)
    assert choose_partner(entry(3, 100), [stale, me_again], set(), NOW) is None
    assert stale.expired(NOW)


def test_front_of_queue_goes_first_and_positions_count_per_round() -> None:
    dave = entry(1, 400)
    alice = entry(2, 100, joined=timedelta(minutes=30), front=True)
    other = entry(3, 500, round_name="behavioral")
    assert queue_position(alice, [dave, alice, other]) == (1, 2)
    assert queue_position(dave, [dave, alice, other]) == (2, 2)
    assert queue_position(replace(dave, entry_id=99), [alice]) == (0, 1)


# ---------------------------------------------------------------- when
def test_now_waits_for_the_configured_time() -> None:
    got = parse_when(None, now=NOW, zone=BERLIN, wait=HOUR)
    assert (got.earliest, got.latest, got.windowed) == (NOW, NOW + HOUR, False)
    assert parse_when(" NOW ", now=NOW, zone=BERLIN, wait=HOUR) == got


def test_a_window_is_read_in_the_servers_timezone() -> None:
    got = parse_when("18:00-20:00", now=NOW, zone=BERLIN, wait=HOUR)
    assert got.earliest == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    assert got.latest == datetime(2026, 11, 26, 19, 0, tzinfo=UTC) - MIN_SESSION
    assert got.windowed


def test_a_window_already_over_today_means_tomorrow_and_one_under_way_starts_now() -> None:
    early = parse_when("06:00-07:00", now=NOW, zone=BERLIN, wait=HOUR)
    assert early.earliest == datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    under_way = parse_when("07:00-10:00", now=NOW, zone=BERLIN, wait=HOUR)
    assert under_way.earliest == NOW
    overnight = parse_when("23:00-01:00", now=NOW, zone=BERLIN, wait=HOUR)
    assert overnight.latest == datetime(2026, 11, 27, 0, 0, tzinfo=UTC) - MIN_SESSION


def test_days_can_be_named() -> None:
    saturday = parse_when("sat 10:00-12:00", now=NOW, zone=BERLIN, wait=HOUR)
    assert saturday.earliest == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    tomorrow = parse_when("Tomorrow 9:00 to 10:00", now=NOW, zone=BERLIN, wait=HOUR)
    assert tomorrow.earliest == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    thursday = parse_when("thursday 09:00-10:00", now=NOW, zone=BERLIN, wait=HOUR)
    assert thursday.earliest == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("later", "not a time window"),
        ("25:00-26:00", "not a time window"),
        ("blursday 10:00-11:00", "not a day"),
        ("today 07:00-08:20", "less than 30 minutes"),
        ("today 06:00-07:00", "over"),
    ],
)
def test_bad_windows_are_explained(text: str, fragment: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_when(text, now=NOW, zone=BERLIN, wait=HOUR)
    assert fragment in caught.value.message


# ---------------------------------------------------------------- sessions
def session(**changes: object) -> PeerSession:
    base = PeerSession(
        session_id=7,
        guild_id=1,
        round="coding",
        first_user_id=100,
        second_user_id=200,
        first_level=None,
        second_level="hard",
        question_ids=("q1",),
        channel_id=9,
        thread_id=70,
        status="active",
        half=1,
        starts_at=NOW,
        half_started_at=NOW,
        created_at=NOW,
        ended_at=None,
        first_seen_at=None,
        second_seen_at=None,
        no_show_user_id=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_roles_follow_the_half() -> None:
    first_half = session()
    assert (first_half.interviewer_id, first_half.candidate_id) == (100, 200)
    second = session(half=2, question_ids=("q1", "q2"))
    assert (second.interviewer_id, second.candidate_id, second.question_id) == (200, 100, "q2")
    assert first_half.half_for_candidate(100) is None
    assert second.half_for_candidate(100) == 2 and second.half_for_candidate(200) == 1


def test_reminders_are_due_once_and_late_ones_are_skipped() -> None:
    box, wait = timedelta(minutes=60), timedelta(minutes=10)
    s = session()
    due = due_nudges(s, time_box=box, no_show_after=wait, sent=set(), now=NOW + box / 2)
    assert [(n.kind, timely) for n, timely in due] == [("no_show", False), ("halfway", True)]
    seen = session(first_seen_at=NOW, second_seen_at=NOW)
    due = due_nudges(seen, time_box=box, no_show_after=wait, sent={"h1-halfway"}, now=NOW + box)
    assert [n.key for n, _ in due] == ["h1-time"]
    booked = session(starts_at=NOW + HOUR, half_started_at=NOW + HOUR)
    assert due_nudges(booked, time_box=box, no_show_after=wait, sent=set(), now=NOW) == []
    due = due_nudges(booked, time_box=box, no_show_after=wait, sent=set(), now=NOW + HOUR)
    assert [n.kind for n, _ in due] == ["start"]


def test_no_show_needs_the_wait_and_an_absent_partner() -> None:
    wait = timedelta(minutes=10)
    s = session(first_seen_at=NOW)
    with pytest.raises(UserError, match="Give"):
        absent_member(s, 100, NOW + wait / 2, wait)
    assert absent_member(s, 100, NOW + wait, wait) == 200
    with pytest.raises(UserError, match="not a no-show"):
        absent_member(session(second_seen_at=NOW), 100, NOW + wait, wait)
    with pytest.raises(UserError, match="belongs to"):
        absent_member(s, 999, NOW + wait, wait)
    with pytest.raises(UserError, match="ended"):
        absent_member(session(status="ended"), 100, NOW + wait, wait)


def test_a_half_earns_points_after_ten_minutes() -> None:
    assert not half_earns_points(NOW, NOW + timedelta(minutes=9))
    assert half_earns_points(NOW, NOW + timedelta(minutes=10))


# ---------------------------------------------------------------- feedback
CRITERIA = ["Problem solving", "Communication", "Trade-offs and complexity"]


def test_the_template_round_trips_and_blank_scores_are_skipped() -> None:
    template = score_template(CRITERIA)
    assert parse_scores(template, CRITERIA).scores == ()
    filled = template.replace("Problem solving: ", "Problem solving: 4").replace(
        "Communication: ", "Communication: 5/5"
    )
    scores = parse_scores(filled, CRITERIA)
    assert scores.scores == (("Problem solving", 4), ("Communication", 5))
    assert scores.average == 4.5


def test_criteria_may_be_shortened_numbered_or_reordered() -> None:
    text = "trade-offs = 3\n2 4\nproblem 2"
    assert parse_scores(text, CRITERIA).scores == (
        ("Problem solving", 2),
        ("Communication", 4),
        ("Trade-offs and complexity", 3),
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Communication: 6", "whole number from 1 to 5"),
        ("Communication: 4/10", "whole number"),
        ("Communication: great", "whole number"),
        ("Charisma: 4", "not one of this question's criteria"),
        ("Communication: 4\ncomm: 3", "scored twice"),
        ("just some words", "one 'criterion: score' per line"),
    ],
)
def test_bad_scores_are_explained(text: str, fragment: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_scores(text, CRITERIA)
    assert fragment in caught.value.message
