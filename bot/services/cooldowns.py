"""Cooldown settings per server: read once and cached (a server's commands all reach the process
that runs its shard), changed by admins."""

from __future__ import annotations

from bot.domain.clock import Clock
from bot.domain.cooldowns import KINDS, MAX_COOLDOWN_SECONDS, RULES, CooldownKind, effective
from bot.domain.errors import UserError
from bot.domain.message import Verbatim
from bot.store import Store


class CooldownService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._cache: dict[int, dict[CooldownKind, int]] = {}

    async def settings(self, guild_id: int) -> dict[CooldownKind, int]:
        cached = self._cache.get(guild_id)
        if cached is None:
            cached = self._cache[guild_id] = effective(
                await self._store.cooldowns.overrides(guild_id)
            )
        return cached

    async def seconds(self, guild_id: int, kind: CooldownKind) -> int:
        return (await self.settings(guild_id))[kind]

    async def set(self, guild_id: int, kind: str, seconds: int) -> dict[CooldownKind, int]:
        if kind not in RULES:
            raise UserError(
                "{kind} is not a cooldown; pick one of {kinds}. Nothing was changed.",
                code="bad-cooldown",
                kind=Verbatim(kind),
                kinds=", ".join(KINDS),
            )
        if not 0 <= seconds <= MAX_COOLDOWN_SECONDS:
            raise UserError(
                "A cooldown is 0 to {limit} seconds. Nothing was changed.",
                code="bad-cooldown",
                limit=MAX_COOLDOWN_SECONDS,
            )
        await self._store.cooldowns.set(guild_id, kind, seconds, self._clock.now())
        self._cache.pop(guild_id, None)
        return await self.settings(guild_id)
