"""The Discord side of the points service's `MemberRoles` port: milestone roles by REST, which
needs no member cache (the bot does not ask for the members intent)."""

from __future__ import annotations

import logging

import discord

log = logging.getLogger(__name__)


class DiscordMemberRoles:
    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def add_role(self, guild_id: int, user_id: int, role_id: int, reason: str) -> bool:
        try:
            await self._client.http.add_role(guild_id, user_id, role_id, reason=reason)
        except discord.HTTPException as exc:
            log.warning("could not give role %s to %s in %s: %s", role_id, user_id, guild_id, exc)
            return False
        return True

    async def remove_role(self, guild_id: int, user_id: int, role_id: int, reason: str) -> bool:
        try:
            await self._client.http.remove_role(guild_id, user_id, role_id, reason=reason)
        except discord.HTTPException as exc:
            log.warning("could not take role %s from %s in %s: %s", role_id, user_id, guild_id, exc)
            return False
        return True
