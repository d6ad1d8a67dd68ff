"""The `/rank` card: a PNG drawn with Pillow (name, points, rank, streak, average grade per round
as bars, and the weakest themes; another member's card without them unless they share them).

Fonts come from Pillow itself (`load_default(size=...)`), so no system font is needed. The
labels are in the member's language (`locale`); that font (Aileron) draws Latin scripts only:
Greek, Cyrillic, Japanese, Chinese, Korean, Thai, Hindi, ... labels show as empty boxes.
"""

from __future__ import annotations

import io
from collections import Counter
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from bot.content.schema import ROUNDS
from bot.i18n.messages import decimal, ntr, number, tr
from bot.services.leaderboard import RankProfile
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

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=16)
def font(size: int) -> Font:
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


def _tile(draw: ImageDraw.ImageDraw, x: int, y: int, label: str, value: str) -> None:
    draw.rounded_rectangle((x, y, x + 196, y + 96), radius=12, fill=PANEL)
    draw.text((x + 16, y + 14), label.upper(), font=font(15), fill=MUTED)
    draw.text((x + 16, y + 40), fit(value, font(34), 170), font=font(34), fill=TEXT)


def render_rank_card(profile: RankProfile, locale: object = None) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 8, HEIGHT), fill=ACCENT)

    draw.text((36, 26), fit(profile.name, font(40), 400), font=font(40), fill=TEXT)
    if profile.hidden:
        subtitle = tr(locale, "Hidden from leaderboards")
    else:
        ranks = [
            tr(locale, "#{rank} all time", rank=number(locale, profile.rank))
            if profile.rank
            else tr(locale, "unranked")
        ]
        if profile.week_rank:
            ranks.append(tr(locale, "#{rank} this week", rank=number(locale, profile.week_rank)))
        subtitle = " · ".join(ranks)
    draw.text((36, 78), fit(subtitle, font(20), 400), font=font(20), fill=MUTED)

    streak = profile.streak
    # i18n: the tiles of the rank card (drawn in capitals where the script has them).
    _tile(draw, 36, 124, tr(locale, "Points"), number(locale, profile.total))
    _tile(draw, 244, 124, tr(locale, "This week"), number(locale, profile.week_points))
    _tile(draw, 36, 232, tr(locale, "Streak"), ntr(locale, "{n} day", "{n} days", streak.current))
    _tile(draw, 244, 232, tr(locale, "Best streak"), number(locale, streak.best))

    left = 490
    if not profile.details:
        draw.text((left, 30), tr(locale, "Grades kept private"), font=font(22), fill=TEXT)
        return png(image)
    draw.text((left, 30), tr(locale, "Average grade per round"), font=font(22), fill=TEXT)
    counts = Counter(answer.round for answer in profile.answers)
    for i, name in enumerate(ROUNDS):
        y = 84 + i * 56
        draw.text((left, y), round_text(name, locale), font=font(18), fill=TEXT)
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
        draw.text((left + 344, y + 24), value, font=font(18), fill=MUTED)

    if profile.trends:
        weakest = "; ".join(
            f"{t.theme} ({decimal(locale, t.average)}/5)" for t in profile.trends[:2]
        )
        line = fit(tr(locale, "Weakest: {themes}", themes=weakest), font(18), WIDTH - 72)
        draw.text((36, 356), line, font=font(18), fill=MUTED)
    return png(image)
