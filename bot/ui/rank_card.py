"""The `/rank` card: a PNG drawn with Pillow (name, points, rank, streak, average grade per round
as bars, and the weakest themes; another member's card without them unless they share them).

The labels are in the member's language (`locale`). Pillow's own font draws Latin scripts only,
so the card's text (labels and the member's name) is drawn with an installed font that has its
characters (`bot.ui.card_fonts`: Debian's fonts-noto-core and fonts-noto-cjk cover every language
the bot speaks); without one, Pillow's own font draws it and other scripts show as boxes.
"""

from __future__ import annotations

import io
from collections import Counter
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from bot.content.schema import ROUNDS
from bot.i18n.messages import decimal, ntr, number, tr
from bot.services.leaderboard import RankProfile
from bot.ui.card_fonts import Font, Typefaces
from bot.ui.embeds import round_text

WIDTH, HEIGHT = 960, 400
BACKGROUND = (30, 31, 34)
PANEL = (43, 45, 49)
TEXT = (242, 243, 245)
MUTED = (148, 155, 164)
ACCENT = (230, 0, 35)
TRACK = (64, 66, 73)
ROUND_COLOURS = {
    "coding": (88, 101, 242),
    "system_design": (87, 242, 135),
    "ml_design": (254, 231, 92),
    "behavioral": (235, 69, 158),
    "recruiter_screen": (87, 200, 242),
}
SCALE = 5.0


@lru_cache(maxsize=16)
def font(size: int) -> Font:
    """Pillow's own font (Latin scripts only), for images drawn in English."""
    return ImageFont.load_default(size=size)


def fit(text: str, typeface: Font, width: int) -> str:
    """The text, shortened with an ellipsis to fit `width` pixels."""
    if typeface.getlength(text) <= width:
        return text
    while text and typeface.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


Tile = tuple[str, str]  # label, value


def _tile(draw: ImageDraw.ImageDraw, faces: Typefaces, at: tuple[int, int], texts: Tile) -> None:
    x, y = at
    label, value = texts[0].upper(), fit(texts[1], faces(34, texts[1]), 170)
    draw.rounded_rectangle((x, y, x + 196, y + 96), radius=12, fill=PANEL)
    draw.text((x + 16, y + 14), label, font=faces(15, label), fill=MUTED)
    draw.text((x + 16, y + 40), value, font=faces(34, value), fill=TEXT)


def _subtitle(profile: RankProfile, locale: object) -> str:
    if profile.hidden:
        return tr(locale, "Hidden from leaderboards")
    ranks = [
        tr(locale, "#{rank} all time", rank=number(locale, profile.rank))
        if profile.rank
        else tr(locale, "unranked")
    ]
    if profile.week_rank:
        ranks.append(tr(locale, "#{rank} this week", rank=number(locale, profile.week_rank)))
    return " · ".join(ranks)


def _tiles(profile: RankProfile, locale: object) -> list[Tile]:
    streak = profile.streak
    return [
        # i18n: the tiles of the rank card (drawn in capitals where the script has them).
        (tr(locale, "Points"), number(locale, profile.total)),
        (tr(locale, "This week"), number(locale, profile.week_points)),
        (tr(locale, "Streak"), ntr(locale, "{n} day", "{n} days", streak.current)),
        (tr(locale, "Best streak"), number(locale, streak.best)),
    ]


def _rounds(
    draw: ImageDraw.ImageDraw, faces: Typefaces, profile: RankProfile, locale: object
) -> None:
    left = 490
    counts = Counter(answer.round for answer in profile.answers)
    for i, name in enumerate(ROUNDS):
        y = 84 + i * 56
        label = round_text(name, locale)
        draw.text((left, y), label, font=faces(18, label), fill=TEXT)
        track = (left, y + 28, left + 330, y + 44)
        draw.rounded_rectangle(track, radius=8, fill=TRACK)
        average = profile.round_averages.get(name)
        if average is not None:
            filled = left + max(16, round(330 * average / SCALE))
            draw.rounded_rectangle(
                (left, y + 28, filled, y + 44), radius=8, fill=ROUND_COLOURS[name]
            )
            value = f"{decimal(locale, average)}/5 · {number(locale, counts[name])}"
        else:
            value = tr(locale, "no answers")
        draw.text((left + 344, y + 24), value, font=faces(18, value), fill=MUTED)


def render_rank_card(profile: RankProfile, locale: object = None) -> bytes:
    subtitle, tiles = _subtitle(profile, locale), _tiles(profile, locale)
    if profile.details:
        heading = tr(locale, "Average grade per round")
    else:
        heading = tr(locale, "Grades kept private")
    # One font for the card when one covers its name, subtitle, tiles and heading.
    faces = Typefaces.for_text([profile.name, subtitle, heading, *(t[0] for t in tiles)], locale)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 8, HEIGHT), fill=ACCENT)

    name = fit(profile.name, faces(40, profile.name), 400)
    draw.text((36, 26), name, font=faces(40, name), fill=TEXT)
    subtitle = fit(subtitle, faces(20, subtitle), 400)
    draw.text((36, 78), subtitle, font=faces(20, subtitle), fill=MUTED)
    for i, tile in enumerate(tiles):
        _tile(draw, faces, (36 + 208 * (i % 2), 124 + 108 * (i // 2)), tile)

    draw.text((490, 30), heading, font=faces(22, heading), fill=TEXT)
    if not profile.details:
        return png(image)
    _rounds(draw, faces, profile, locale)
    if profile.trends:
        weakest = "; ".join(
            f"{t.theme} ({decimal(locale, t.average)}/5)" for t in profile.trends[:2]
        )
        line = tr(locale, "Weakest: {themes}", themes=weakest)
        line = fit(line, faces(18, line), WIDTH - 72)
        draw.text((36, 356), line, font=faces(18, line), fill=MUTED)
    return png(image)
