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
    plain,
)
from bot.i18n.messages import tr


def render(parts: Message) -> str:
    return "".join(_render(part) for part in parts)


def localized(
    locale: object, text: str, params: Mapping[str, object], *, plain_refs: bool = False
) -> str:
    """A catalog text in `locale` with its `{placeholders}` filled. References among the values
    (a member, a command, ...) are rendered as Discord markup after translation, or written
    plainly with `plain_refs` (the web); a button's label is in `locale` too. A tuple of texts is
    a list of msgids (Discord permission names), shown translated and joined."""
    return tr(locale, text, **{name: _value(locale, v, plain_refs) for name, v in params.items()})


def _value(locale: object, value: object, plain_refs: bool) -> object:
    """A button's label is a msgid of its own (the button shows it translated), as is a
    phrase."""
    if isinstance(value, tuple):
        return ", ".join(tr(locale, str(item)) for item in value)
    if not isinstance(value, Ref):
        return value
    if isinstance(value, Phrase):
        return tr(locale, value.text)
    if isinstance(value, Button):
        value = Button(tr(locale, value.label))
    return plain((value,)) if plain_refs else _render(value)


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
