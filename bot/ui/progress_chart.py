"""The progress chart: grades over time, one line per round, drawn with Pillow (a PNG)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from PIL import Image, ImageDraw

from bot.content.schema import ROUNDS
from bot.domain.progress import SCALE, GradedAnswer
from bot.ui.embeds import round_label
from bot.ui.rank_card import BACKGROUND, MUTED, ROUND_COLOURS, TEXT, TRACK, font, png

WIDTH, HEIGHT = 960, 420
LEFT, RIGHT, TOP, BOTTOM = 70, 930, 84, 370


def _x(when: datetime, first: datetime, last: datetime) -> float:
    span = (last - first).total_seconds()
    if span <= 0:
        return (LEFT + RIGHT) / 2
    return LEFT + (RIGHT - LEFT) * (when - first).total_seconds() / span


def _y(value: float) -> float:
    return BOTTOM - (BOTTOM - TOP) * max(0.0, min(value, SCALE)) / SCALE


def render_progress_chart(answers: Sequence[GradedAnswer]) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((LEFT, 14), "Grade per answer over time (0 to 5)", font=font(20), fill=TEXT)

    for step in range(int(SCALE) + 1):
        y = _y(step)
        draw.line((LEFT, y, RIGHT, y), fill=TRACK, width=1)
        draw.text((LEFT - 24, y - 9), str(step), font=font(16), fill=MUTED)

    if not answers:
        message = "No graded answers yet: answer the daily question or try /practice."
        draw.text((LEFT + 20, (TOP + BOTTOM) / 2 - 10), message, font=font(20), fill=MUTED)
        return png(image)

    ordered = sorted(answers, key=lambda a: a.submitted_at)
    first, last = ordered[0].submitted_at, ordered[-1].submitted_at
    by_round: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for answer in ordered:
        by_round[answer.round].append((_x(answer.submitted_at, first, last), _y(answer.on_scale)))

    legend_x = LEFT
    for round_name in ROUNDS:
        if round_name not in by_round:
            continue
        label = f"{round_label(round_name)} ({len(by_round[round_name])})"
        draw.rectangle((legend_x, 48, legend_x + 14, 62), fill=ROUND_COLOURS[round_name])
        draw.text((legend_x + 20, 46), label, font=font(16), fill=TEXT)
        legend_x += int(font(16).getlength(label)) + 44

    for name, points in by_round.items():
        colour = ROUND_COLOURS.get(name, TEXT)
        if len(points) > 1:
            draw.line(points, fill=colour, width=3, joint="curve")
        for x, y in points:
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=colour, outline=BACKGROUND)

    draw.text((LEFT, BOTTOM + 14), f"{first:%d %b %Y}", font=font(16), fill=MUTED)
    if last.date() != first.date():
        end = f"{last:%d %b %Y}"
        draw.text((RIGHT - font(16).getlength(end), BOTTOM + 14), end, font=font(16), fill=MUTED)
    return png(image)
