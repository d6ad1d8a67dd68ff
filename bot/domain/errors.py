"""The error type whose message is safe to show a member as it is."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action: shown ephemerally, changes nothing.

    `message` is English with `{placeholders}` filled from `params`; it doubles as the msgid of
    the `messages` catalog, so the ui shows it in the member's language (a literal message is
    extracted for the catalog on its own; see tools/i18n_messages.py)."""

    def __init__(self, message: str, *, code: str = "refused", **params: object) -> None:
        self.template = message
        self.params = params
        self.message = message.format(**params) if params else message
        super().__init__(self.message)
        self.code = code
