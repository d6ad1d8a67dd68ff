"""A member's grades over time as an SVG line chart, drawn on the server (no script), with its
texts in the page's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from bot.content.schema import round_label
from bot.i18n.messages import number, tr

WIDTH, HEIGHT, PAD = 640, 240, 36
# Distinguishable in colour and by dash, so the chart reads without colour too.
STYLES = {
    "coding": ("#b3001b", ""),
    "system_design": ("#1f5fad", "6 3"),
    "ml_design": ("#2d7d32", "2 3"),
    "behavioral": ("#6b3fa0", "8 3 2 3"),
    "recruiter_screen": ("#8a5a00", "1 2"),
}


def _attribute(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def grades_chart(points: Sequence[tuple[datetime, str, float]], locale: object = None) -> str:
    """`points`: (when, round, grade out of 5), any order; the texts in `locale`."""
    title = tr(locale, "Grades over time, out of 5, by round")
    if not points:
        empty = tr(locale, "Grades over time, out of 5, by round: no graded answers yet")
        return (
            f'<svg role="img" aria-label="{_attribute(empty)}" width="{WIDTH}" '
            f'height="{PAD * 2}" viewBox="0 0 {WIDTH} {PAD * 2}"><text x="{PAD}" y="{PAD}">'
            f"{escape(tr(locale, 'No graded answers yet.'))}</text></svg>"
        )
    times = [p[0].timestamp() for p in points]
    first, span = min(times), (max(times) - min(times)) or 1.0

    def x(when: datetime) -> float:
        return PAD + (WIDTH - 2 * PAD) * (when.timestamp() - first) / span

    def y(score: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * max(0.0, min(score, 5.0)) / 5

    parts = [
        f'<svg role="img" aria-labelledby="chart-title" width="100%" viewBox="0 0 {WIDTH} '
        f'{HEIGHT}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="chart-title">{escape(title)}</title>'
    ]
    for grade in range(6):
        parts.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(grade):.1f}" y2="{y(grade):.1f}" '
            f'stroke="#ccc"/><text x="4" y="{y(grade) + 4:.1f}">{number(locale, grade)}</text>'
        )
    legend_y = 14
    for round_name in sorted({p[1] for p in points}):
        colour, dash = STYLES.get(round_name, ("#111", ""))
        mine = sorted((p for p in points if p[1] == round_name), key=lambda p: p[0])
        line = " ".join(f"{x(p[0]):.1f},{y(p[2]):.1f}" for p in mine)
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}" points="{line}"/>'
        )
        parts.extend(
            f'<circle cx="{x(p[0]):.1f}" cy="{y(p[2]):.1f}" r="3" fill="{colour}"/>' for p in mine
        )
        parts.append(
            f'<text x="{WIDTH - 150}" y="{legend_y}" fill="{colour}">'
            f"{escape(tr(locale, round_label(round_name)))}</text>"
        )
        legend_y += 14
    parts.append("</svg>")
    return "".join(parts)
