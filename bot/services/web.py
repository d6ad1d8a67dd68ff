"""The web companion's per-guild switch, as the `/web` command sees it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.clock import Clock
from bot.store import Store


@dataclass(frozen=True)
class WebStatus:
    public: bool
    board_url: str | None  # where the board is, when the companion has a public address


class WebService:
    def __init__(self, store: Store, clock: Clock, base_url: str | None) -> None:
        self._store = store
        self._clock = clock
        self._base_url = base_url

    def board_url(self, guild_id: int) -> str | None:
        return f"{self._base_url}/g/{guild_id}" if self._base_url else None

    async def status(self, guild_id: int) -> WebStatus:
        settings = await self._store.web.get(guild_id)
        return WebStatus(settings.public, self.board_url(guild_id))

    async def set_public(self, guild_id: int, public: bool, guild_name: str) -> WebStatus:
        await self._store.web.set_public(guild_id, public, guild_name, self._clock.now())
        return WebStatus(public, self.board_url(guild_id))

    async def public_board_url(self, guild_id: int) -> str | None:
        """Where the board is on the web, when it is public and the companion has an address."""
        status = await self.status(guild_id)
        return status.board_url if status.public else None
