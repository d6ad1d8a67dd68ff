"""The error type whose message is safe to show a member as it is."""

from __future__ import annotations

from bot.domain.message import Message, Part, plain


class UserError(Exception):
    """Bad input or a refused action: shown ephemerally, changes nothing. The message is plain
    words and references (`bot.domain.message`): the front end that shows it renders them."""

    def __init__(self, *parts: Part, code: str = "refused") -> None:
        self.parts: Message = parts
        self.message = plain(parts)
        super().__init__(self.message)
        self.code = code
