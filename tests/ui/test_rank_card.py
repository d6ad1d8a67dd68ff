"""The rank card draws every script with a font that has its glyphs, not notdef boxes; without
such a font it falls back to Pillow's own font and still draws the card."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageFont

from bot.domain.streaks import Streak
from bot.i18n.messages import tr
from bot.services.leaderboard import RankProfile
from bot.ui import card_fonts
from bot.ui.card_fonts import NOT_A_CHARACTER, NOTO_CJK, Typefaces, covers, face_for
from bot.ui.rank_card import render_rank_card

PNG = b"\x89PNG\r\n\x1a\n"
NAME = "田中さくら"
NAME_BOX = (36, 26, 440, 72)  # where the card draws the member's name
CJK_INSTALLED = Path(NOTO_CJK).is_file()


def _clear() -> None:
    for cached in (card_fonts.load, card_fonts._notdef, card_fonts.covers, card_fonts.candidates):
        cached.cache_clear()
    card_fonts.face_for.cache_clear()
    card_fonts._fc_match.cache_clear()


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(card_fonts, "_fallback_logged", False)
    _clear()
    yield
    _clear()


def without_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without fonts-noto-* or DejaVu, and without fontconfig."""
    monkeypatch.setattr(card_fonts, "SYSTEM_FONTS", ())
    monkeypatch.setattr(card_fonts.shutil, "which", lambda name: None)


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    without_fonts(monkeypatch)


def profile(name: str = NAME) -> RankProfile:
    streak = Streak(3, 5, True, (), 1, date(2026, 1, 1), ())
    return RankProfile(
        user_id=1,
        name=name,
        hidden=False,
        total=120,
        rank=2,
        week_points=30,
        week_rank=1,
        streak=streak,
        round_averages={"coding": 3.5},
        answers=[],
        trends=[],
    )


def name_pixels(card: bytes) -> bytes:
    return Image.open(io.BytesIO(card)).convert("L").crop(NAME_BOX).tobytes()


def test_pillows_own_font_has_no_japanese_glyphs() -> None:
    """What the card looked like before: Pillow's own font draws kana and kanji as boxes."""
    assert covers(None, "a") and covers(None, " ")
    assert not any(covers(None, char) for char in NAME)


def test_an_english_card_keeps_pillows_own_font() -> None:
    faces = Typefaces.for_text(["alice", tr("en-US", "Points")], "en-US")
    assert faces.main is None


@pytest.mark.skipif(not CJK_INSTALLED, reason=f"fonts-noto-cjk is not installed ({NOTO_CJK})")
def test_a_japanese_card_draws_glyphs_not_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    label = tr("ja", "Points")
    assert not label.isascii()  # the ja catalog translates it
    faces = Typefaces.for_text([NAME, label], "ja")
    assert faces.main == (NOTO_CJK, card_fonts.CJK_FACES["ja"])
    font = faces(40, NAME + label)
    assert isinstance(font, ImageFont.FreeTypeFont)
    box = font.getmask(NOT_A_CHARACTER)
    for char in NAME + label:  # each glyph is drawn, and is not the font's notdef box
        glyph = font.getmask(char)
        assert glyph.getbbox() is not None
        assert (glyph.size, bytes(glyph)) != (box.size, bytes(box)), char

    card = render_rank_card(profile(), "ja")
    assert card.startswith(PNG)
    # The same card drawn with Pillow's own font (its boxes) looks different where the name is.
    without_fonts(monkeypatch)
    _clear()
    boxes = render_rank_card(profile(), "ja")
    assert name_pixels(card) != name_pixels(boxes)


def test_without_a_font_for_the_text_pillows_own_draws_it(
    no_system_fonts: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=card_fonts.__name__)
    assert face_for(frozenset(NAME), "ja") is None
    for locale in ("ja", "ko", "th"):  # never an error, whatever the script
        assert render_rank_card(profile(), locale).startswith(PNG)
    logged = [r for r in caplog.records if r.name == card_fonts.__name__]
    assert len(logged) == 1 and logged[0].levelno == logging.INFO  # said once, not per card
    assert "fonts-noto-cjk" in logged[0].getMessage()


def test_the_choice_is_cached(no_system_fonts: None) -> None:
    render_rank_card(profile(), "ja")
    checked = card_fonts.covers.cache_info().misses
    render_rank_card(profile(), "ja")
    assert card_fonts.covers.cache_info().misses == checked  # no font is scanned again
