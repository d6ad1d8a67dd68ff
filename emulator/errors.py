"""Exceptions raised by the emulator (to tests) and used internally for Discord API errors."""

from __future__ import annotations

from typing import Any


class EmulatorError(Exception):
    """A misuse of the emulator, or a state the emulator cannot reach (e.g. no bot connected)."""


class InvalidInvocation(EmulatorError):
    """What the test asked a member to do is impossible on real Discord.

    Raised for an unknown command/subcommand/option, a wrong option type, a missing required
    option, a value outside the choices, a button that does not exist on the message, a channel the
    member cannot see, and so on. A bot whose synced tree is wrong fails tests through this.
    """


class InteractionTimeout(EmulatorError):
    """The bot did not answer (or did not do what a helper waited for) in time."""


class ApiError(Exception):
    """An error response of the emulated REST API, shaped like Discord's."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            data["errors"] = self.errors
        return data


# Discord JSON error codes used by the emulator.
UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_ROLE = 10011
UNKNOWN_USER = 10013
UNKNOWN_WEBHOOK = 10015
UNKNOWN_INTERACTION = 10062
UNKNOWN_APPLICATION_COMMAND = 10063
CANNOT_EDIT_OTHERS_MESSAGE = 50005
CANNOT_SEND_EMPTY_MESSAGE = 50006
CANNOT_SEND_TO_USER = 50007
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013
INVALID_CHANNEL_TYPE = 50024
INVALID_FORM_BODY = 50035
ALREADY_ACKNOWLEDGED = 40060
REQUEST_TOO_LARGE = 40005
THREAD_ARCHIVED = 50083
THREAD_ALREADY_CREATED = 160004


def unknown(kind: str, code: int) -> ApiError:
    return ApiError(404, code, f"Unknown {kind}")


def missing_access() -> ApiError:
    return ApiError(403, MISSING_ACCESS, "Missing Access")


def missing_permissions() -> ApiError:
    return ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")
