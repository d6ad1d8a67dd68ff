"""Text for a member as plain words and references (a member, a channel, a command, a button, a
time). Services and domain write it; each front end renders the references its own way (bot/ui
as Discord mentions and markdown, the web and logs as plain text)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Member:
    user_id: int


@dataclass(frozen=True)
class Channel:
    channel_id: int


@dataclass(frozen=True)
class Command:
    """A slash command (with options, if any) the member can type, e.g. '/peer leave'."""

    text: str


@dataclass(frozen=True)
class Button:
    """The label of a button the member can press."""

    label: str


@dataclass(frozen=True)
class Verbatim:
    """Something the member typed or must type exactly (a name, an id, a format)."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """A catalog text marked with `N_` (a round's or a track's name) inside a sentence: the
    front end shows it in the reader's language."""

    text: str


@dataclass(frozen=True)
class Time:
    """A moment, shown in the reader's own timezone where the front end can."""

    at: datetime


Ref = Member | Channel | Command | Button | Verbatim | Phrase | Time
Part = str | Ref
Message = tuple[Part, ...]


def plain(parts: Message) -> str:
    """The message without markup, for logs, the web and tests."""
    return "".join(_plain(part) for part in parts)


def plain_params(params: Mapping[str, object]) -> dict[str, object]:
    """`{placeholder}` values with references written out plainly (see `plain`); a reference
    is a placeholder's value where a text must stay one translatable sentence."""
    return {
        name: _plain(value) if isinstance(value, Ref) else value for name, value in params.items()
    }


def _plain(part: Part) -> str:
    match part:
        case str():
            return part
        case Member(user_id):
            return f"member {user_id}"
        case Channel(channel_id):
            return f"channel {channel_id}"
        case Command(text) | Verbatim(text):
            return f"'{text}'"
        case Button(label):
            return f"'{label}'"
        case Phrase(text):
            return text
        case Time(at):
            return at.astimezone(UTC).strftime("%H:%M UTC")
