"""A service's message: plain words for the web and logs, Discord markup only from bot/ui."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import UserError
from bot.domain.message import Button, Channel, Command, Member, Time, Verbatim, plain
from bot.ui.message import render

AT = datetime(2026, 12, 6, 18, 30, tzinfo=UTC)
PARTS = (
    "With ",
    Member(7),
    " in ",
    Channel(9),
    ": press ",
    Button("End session"),
    ", or ",
    Command("/peer leave"),
    " (",
    Verbatim("18:00-20:00"),
    ") until ",
    Time(AT),
    ".",
)


def test_discord_markup_comes_from_the_ui() -> None:
    stamp = int(AT.timestamp())
    assert render(PARTS) == (
        "With <@7> in <#9>: press **End session**, or `/peer leave` (`18:00-20:00`) until "
        f"<t:{stamp}:t> (<t:{stamp}:R>)."
    )


def test_the_plain_message_has_no_markup() -> None:
    error = UserError(*PARTS, code="test")
    assert error.message == plain(PARTS) == str(error)
    assert error.message == (
        "With member 7 in channel 9: press 'End session', or '/peer leave' ('18:00-20:00') "
        "until 18:30 UTC."
    )
    assert not any(mark in error.message for mark in ("<@", "<#", "**", "`", "<t:"))


@given(st.lists(st.text(), max_size=5))
def test_words_alone_are_the_message_in_both(words: list[str]) -> None:
    assert render(tuple(words)) == plain(tuple(words)) == "".join(words)
