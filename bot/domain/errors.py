"""The error type whose message is safe to show a member as it is."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action: shown ephemerally, changes nothing."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
