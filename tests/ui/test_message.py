"""A service's message: plain words for the web and logs, Discord markup only from bot/ui."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import UserError
from bot.domain.message import Button, Channel, Command, Member, Phrase, Time, Verbatim, plain
from bot.i18n.messages import tr
from bot.runner.report import CaseResult, RunReport, summary, summary_lines
from bot.ui.message import localized, render
from bot.ui.run_summary import lines_text

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


def test_a_reference_inside_a_sentence_is_a_placeholder() -> None:
    """One translatable sentence with a reference in it: the web and logs read it plainly, the
    ui renders the reference after translation, in the member's language."""
    error = UserError(
        "Use {command} first, {member}.", command=Command("/daily setup"), member=Member(7)
    )
    assert error.message == "Use '/daily setup' first, member 7."
    assert localized("en-US", "Use {command} first, {member}.", error.params) == (
        "Use `/daily setup` first, <@7>."
    )
    french = localized("fr", "Feedback · {title}", {"title": Member(7), "unused": 3})
    assert french == tr("fr", "Feedback · {title}", title="<@7>")
    # A button's label is named as the button shows it: in the member's language.
    assert localized("ja", "Daily question · {title}", {"title": Button("Answer")}) == (
        "デイリー問題 · **回答する**"
    )


def test_a_phrase_inside_a_sentence_reads_in_the_readers_language() -> None:
    text = "This server has no {round} questions enabled. An admin can add some with {command}."
    params = {"round": Phrase("System design"), "command": Command("/questions add")}
    assert "Conception de systèmes" in localized("fr", text, params)
    assert localized("en-US", text, params).startswith("This server has no System design")


def test_run_summary_lines_read_as_the_judge_writes_them_in_english() -> None:
    report = RunReport("q", "python", 2000, [CaseResult("a", False, "failed", got=1, expected=2)])
    assert lines_text(summary(report), "en-US") == summary_lines(report)
