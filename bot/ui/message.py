"""Rendering a service's message (`bot.domain.message`) as Discord text: mentions, channel links,
commands and literals in code, buttons in bold, phrases translated, times in the reader's timezone
and relative to now."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.message import (
    Button,
    Channel,
    Command,
    Member,
    Message,
    Part,
    Phrase,
    Ref,
    Time,
    Verbatim,
)
from bot.i18n.messages import tr


def render(parts: Message) -> str:
    return "".join(_render(part) for part in parts)


def localized(locale: object, text: str, params: Mapping[str, object]) -> str:
    """A catalog text in `locale` with its `{placeholders}` filled; references among the values
    (a member, a command, ...) are rendered as Discord markup after translation, a button's
    label in `locale` too."""
    return tr(
        locale,
        text,
        **{
            name: _localized_ref(locale, v) if isinstance(v, Ref) else v
            for name, v in params.items()
        },
    )


def _localized_ref(locale: object, ref: Ref) -> str:
    """A button's label is a msgid of its own (the button shows it translated), as is a
    phrase."""
    if isinstance(ref, Button):
        return _render(Button(tr(locale, ref.label)))
    if isinstance(ref, Phrase):
        return tr(locale, ref.text)
    return _render(ref)


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
        case Phrase(text):
            return text
        case Time(at):
            stamp = int(at.timestamp())
            return f"<t:{stamp}:t> (<t:{stamp}:R>)"
