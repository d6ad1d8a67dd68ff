"""The error type whose message is safe to show a member as it is."""

from __future__ import annotations

from bot.domain.message import Message, Part, plain, plain_params


class UserError(Exception):
    """Bad input or a refused action: shown ephemerally, changes nothing. The message is plain
    words and references (`bot.domain.message`): the front end that shows it renders them.

    A message of one text is also the msgid of the `messages` catalog (English, with
    `{placeholders}` filled from `params`), so the ui shows it in the member's language; a
    literal one is extracted for the catalog by itself (tools/i18n_messages.py). A reference
    inside such a sentence is a param (`command=Command("/peer leave")`): the translation keeps
    its `{command}` and the front end renders the reference. A message of several parts is shown
    as written, untranslated."""

    def __init__(self, *parts: Part, code: str = "refused", **params: object) -> None:
        self.parts: Message = parts
        self.params = params
        text = plain(parts)
        self.message = text.format(**plain_params(params)) if params else text
        super().__init__(self.message)
        self.code = code
