"""Rendering a service's message (`bot.domain.message`) as Discord text: mentions, channel links,
commands and literals in code, buttons in bold, times in the reader's timezone and
relative to now."""

from __future__ import annotations

from bot.domain.message import (
    Button,
    Channel,
    Command,
    Member,
    Message,
    Part,
    Time,
    Verbatim,
)


def render(parts: Message) -> str:
    return "".join(_render(part) for part in parts)


def _render(part: Part) -> str:
    match part:
        case str():
            return part
        case Member(user_id):
            return f"<@{user_id}>"
        case Channel(channel_id):
            return f"<#{channel_id}>"
        case Command(text) | Verbatim(text):
            return f"`{text}`"
        case Button(label):
            return f"**{label}**"
        case Time(at):
            stamp = int(at.timestamp())
            return f"<t:{stamp}:t> (<t:{stamp}:R>)"
