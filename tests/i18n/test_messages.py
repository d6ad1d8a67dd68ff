"""The `messages` API: translation with placeholders, plural forms by the locale's rule, numbers
by Babel, English for a locale without a catalog or an unknown one."""

from __future__ import annotations

from datetime import date

from discord import Locale
from hypothesis import given
from hypothesis import strategies as st

from bot.cogs.help import languages_text
from bot.content.schema import TRANSLATION_LOCALES
from bot.i18n.locales import DISCORD_LOCALES
from bot.i18n.messages import day, decimal, known_locale, ntr, number, tr, written_in
from bot.ui.embeds import FIELD_LIMIT
from bot.ui.plural import points


@given(st.integers(min_value=-1000, max_value=10**9))
def test_english_plurals_and_numbers(n: int) -> None:
    assert ntr(None, "{n} answer", "{n} answers", n) == (
        f"{n:,} answer" if n == 1 else f"{n:,} answers"
    )
    assert points(n) == f"{n:,} {'pt' if n == 1 else 'pts'}"


def test_an_unknown_or_missing_locale_reads_english() -> None:
    assert known_locale("xx-YY") == "en-US"
    assert known_locale(Locale.japanese) == "ja"
    assert tr("xx-YY", "Answer") == "Answer"
    assert tr(None, "Feedback · {title}", title="T") == "Feedback · T"
    assert tr("ko", "no such text {x}", x=1) == "no such text 1"
    assert written_in("en-GB") == "en"


def test_numbers_dates_and_decimals_follow_the_locale() -> None:
    assert number("fr", 1234) == "1\u202f234"
    assert number("de", 1234) == "1.234"
    assert decimal("fr", 3.25) == "3,2" or decimal("fr", 3.25) == "3,3"
    assert decimal(None, 4) == "4.0"
    assert day("ja", date(2026, 11, 26)) == "2026/11/26"
    assert day("en-US", date(2026, 11, 26)) == "Nov 26, 2026"


def test_help_names_the_languages_within_an_embed_field_in_every_locale() -> None:
    for code in DISCORD_LOCALES:
        text = languages_text(code)
        assert 0 < len(text) <= FIELD_LIMIT, (code, len(text))
        assert "English" in text


def test_help_names_the_question_languages_from_the_packs() -> None:
    assert "Some questions" not in languages_text("en-US", {})
    text = languages_text("en-US", {"fr": 3, "ja": 1})
    assert text.startswith("The questions are in English.")
    assert text.endswith(
        "Some questions also have their title and prompt in Français (3), 日本語 (1)."
    )
    # However many locales and questions, the field stays within Discord's limit.
    every = dict.fromkeys(TRANSLATION_LOCALES, 123456)
    for code in DISCORD_LOCALES:
        text = languages_text(code, every)
        assert 0 < len(text) <= FIELD_LIMIT, (code, len(text))
        assert "English" in text and "Indonesia" in text
