"""A readable, ordered log of what happened in the emulated Discord (demos, test failures)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import render
from .models import Message


@dataclass
class TranscriptEntry:
    at: float
    summary: str
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.summary


def message_summary(msg: Message) -> str:
    parts: list[str] = []
    if msg.content:
        parts.append(render.trim(msg.content, 100))
    parts.extend(render.embed_summary(e) for e in msg.embeds[:2])
    if len(msg.embeds) > 2:
        parts.append(f"(+{len(msg.embeds) - 2} embeds)")
    parts.extend(render.trim(t, 80) for t in render.text_displays(msg.components)[:2])
    parts.extend(f"[file {a.filename} {a.size} B]" for a in msg.attachments)
    buttons = render.buttons_inline(msg.components)
    if buttons:
        parts.append(buttons)
    if not parts:
        return "(loading…)" if msg.loading else "(empty)"
    return " ".join(parts)


def message_details(msg: Message) -> list[str]:
    lines: list[str] = []
    if msg.content:
        lines.extend(msg.content.splitlines() or [""])
    for embed in msg.embeds:
        lines.extend("┃ " + line for line in render.embed_lines(embed))
    for text in render.text_displays(msg.components):
        lines.extend("│ " + line for line in text.splitlines())
    for att in msg.attachments:
        lines.append(f"[file {att.filename} · {att.size} bytes]")
    buttons = render.buttons_inline(msg.components)
    if buttons:
        lines.append(buttons)
    return lines


class Transcript:
    """Entries are humanised (mentions and timestamps made readable) when added."""

    def __init__(self, humanize: Callable[[str], str] | None = None) -> None:
        self.entries: list[TranscriptEntry] = []
        self._start = time.monotonic()
        self._humanize = humanize or (lambda text: text)

    def add(self, summary: str, details: list[str] | None = None) -> None:
        entry = TranscriptEntry(
            time.monotonic() - self._start,
            self._humanize(summary),
            [self._humanize(line) for line in details or []],
        )
        self.entries.append(entry)

    def lines(self) -> list[str]:
        return [e.summary for e in self.entries]

    def render(self, *, width: int = 100, timestamps: bool = False) -> str:
        out: list[str] = []
        for entry in self.entries:
            prefix = f"[{entry.at:7.3f}s] " if timestamps else ""
            out.append(prefix + entry.summary)
            if entry.details and not (
                len(entry.details) == 1 and entry.details[0] in entry.summary
            ):
                indent = " " * (len(prefix) + 4)
                for line in entry.details:
                    out.append(indent + render.trim(line, width) if line.strip() else "")
        return "\n".join(out)
