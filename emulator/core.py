"""What the REST routes and interaction callbacks need of the emulator.

`DiscordEmulator` implements it; `rest` and `callbacks` are typed against this protocol so that they
do not import the emulator module that registers them (no import circle).
"""

from __future__ import annotations

from typing import Any, Protocol

from .events import Events
from .interactions import InteractionRecord
from .models import Channel, Member, Message
from .state import EmulatorState
from .transcript import Transcript


class EmulatorCore(Protocol):
    callback_deadline: float
    shard_count: int
    state: EmulatorState
    log: Transcript
    events: Events

    @property
    def gateway_url(self) -> str: ...

    def dispatch(
        self, event: str, data: Any, *, guild_id: int | None = None, intent: int | None = None
    ) -> None: ...

    def log_bot_message(self, msg: Message, *, verb: str = ..., prefix: str = ...) -> None: ...

    def threads(self, channel: Channel, *, include_deleted: bool = False) -> list[Channel]: ...

    def interaction(self, record_id: int) -> InteractionRecord | None: ...

    def record_by_token(self, token: str) -> InteractionRecord | None: ...

    def count(self, stat: str) -> None:
        """Add one to a request statistic (`stats()`)."""

    def remove_channel(self, channel: Channel) -> None: ...

    def dispatch_member_update(self, member: Member) -> None: ...
