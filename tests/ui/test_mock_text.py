"""The words a mock round's thread shows for the service's data: nudges, closing, the loop's
progress, and a message addressed to the bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.mock import MockSettings, due_nudge, time_nudges
from bot.services.mocks.ports import LoopProgress, RoundClosed
from bot.ui.mock_text import notice_text, strip_mention
from tests.domain.test_mock import a_round

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_clock_nudges_say_the_time_left_and_what_to_do() -> None:
    texts = {n.key: notice_text(n) for n in time_nudges(a_round())}
    assert "10 minutes left" in texts["left:10"]
    assert (
        "36 min left" in texts["phase:high_level"]
        and "High-level design" in texts["phase:high_level"]
    )
    assert "Time's up" in texts["time_up"] and "(45 min)" in texts["time_up"]
    assert "`/mock end`" in texts["time_up"]


def test_the_idle_warning_asks_for_an_answer() -> None:
    nudge, _ = due_nudge(
        a_round(box=35), START + timedelta(minutes=25), set(), MockSettings(idle_minutes=30), 0
    )
    assert nudge is not None and "Still there" in notice_text(nudge)
    assert "5 minutes" in notice_text(nudge)


def test_closing_notices_depend_on_whether_a_scorecard_follows() -> None:
    assert "nothing to score" in notice_text(RoundClosed("idle", scored=False))
    assert "scorecard follows" in notice_text(RoundClosed("time_up", scored=True))
    assert "`/mock start`" in notice_text(RoundClosed("ended", scored=False))


def test_loop_progress_names_the_next_round_or_only_the_count() -> None:
    assert "**Coding 2**" in notice_text(LoopProgress(1, 4, "Coding 2"))
    last = notice_text(LoopProgress(4, 4, None))
    assert "Round 4 of 4" in last and "Next" not in last


def test_a_mention_of_the_bot_is_dropped_and_others_kept() -> None:
    assert strip_mention("<@123> I would use BFS <@!123>", 123) == "I would use BFS"
    assert strip_mention("<@999> hi", 123) == "<@999> hi"
