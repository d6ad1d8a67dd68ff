"""Gateway event payloads built from the emulator state (READY, GUILD_CREATE, messages, threads).

Payloads that depend on the receiving session (intents) are built per session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .gateway import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    DataFn,
    Gateway,
    GatewaySession,
)
from .models import Channel, Guild, Message
from .permissions import channel_permissions
from .state import EmulatorState

JSON = dict[str, Any]


class Events:
    def __init__(
        self, state: EmulatorState, gateway: Gateway, gateway_url: Callable[[], str]
    ) -> None:
        self.state = state
        self.gateway = gateway
        self.gateway_url = gateway_url

    def ready_payload(self, session: GatewaySession) -> JSON:
        user = self.state.bot_user.payload()
        user.update(verified=True, mfa_enabled=False, email=None, locale="en-US")
        return {
            "v": 10,
            "user": user,
            "guilds": [
                {"id": str(g.id), "unavailable": True}
                for g in self.state.guilds.values()
                if not g.removed and session.covers(g.id)
            ],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url(),
            "shard": [session.shard_id, session.shard_count],
            "application": {"id": str(self.state.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["discord-emulator"],
        }

    def guild_creates(self, session: GatewaySession) -> list[JSON]:
        return [
            self.guild_create(g, session)
            for g in self.state.guilds.values()
            if not g.removed and session.covers(g.id)
        ]

    def guild_create(self, guild: Guild, session: GatewaySession, *, joined: bool = False) -> JSON:
        """GUILD_CREATE; ``joined`` (a guild added after READY) omits ``unavailable`` as Discord
        does, so discord.py dispatches ``on_guild_join`` instead of ``on_guild_available``."""
        data = guild.payload()
        bot_member = guild.members[self.state.bot_user.id]
        if session.intents & INTENT_GUILD_MEMBERS:
            members = [m.payload() for m in guild.members.values()]
        else:
            members = [bot_member.payload()]
        threads = [
            t.payload()
            for t in guild.threads.values()
            if not t.deleted and not t.archived and channel_permissions(bot_member, t)
        ]
        data.update(
            joined_at=bot_member.joined_at,
            large=False,
            unavailable=False,
            member_count=len(guild.members),
            voice_states=[],
            members=members,
            channels=[c.payload() for c in guild.channels.values() if not c.deleted],
            threads=threads,
            presences=[],
            stage_instances=[],
            guild_scheduled_events=[],
            soundboard_sounds=[],
            embedded_activities=[],
            lazy=True,
        )
        if joined:
            del data["unavailable"]
        return data

    def member_chunk(self, session: GatewaySession, data: JSON) -> JSON | None:
        guild = self.state.guilds.get(int(data.get("guild_id") or 0))
        if guild is None:
            return None
        members = list(guild.members.values())
        if data.get("user_ids"):
            wanted = {int(u) for u in data["user_ids"]}
            members = [m for m in members if m.id in wanted]
        elif data.get("query"):
            members = [m for m in members if m.name.startswith(str(data["query"]))]
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        return {
            "guild_id": str(guild.id),
            "members": [m.payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
            "presences": [],
            "nonce": data.get("nonce"),
        }

    def _message_data(self, msg: Message) -> DataFn:
        def build(session: GatewaySession) -> JSON | None:
            data = msg.payload()
            privileged = bool(session.intents & INTENT_MESSAGE_CONTENT)
            exempt = (
                msg.author.id == self.state.bot_user.id
                or msg.channel.is_dm
                or self.state.bot_user.id in msg.pinged_users
            )
            if not privileged and not exempt:
                data.update(content="", embeds=[], attachments=[], components=[])
            return data

        return build

    def _message_intent(self, msg: Message) -> int:
        return INTENT_DIRECT_MESSAGES if msg.channel.is_dm else INTENT_GUILD_MESSAGES

    def message_create(self, msg: Message) -> None:
        if msg.ephemeral:
            return
        self.gateway.dispatch(
            "MESSAGE_CREATE",
            self._message_data(msg),
            guild_id=msg.channel.guild_id,
            intent=self._message_intent(msg),
        )

    def message_update(self, msg: Message) -> None:
        if msg.ephemeral:
            return
        self.gateway.dispatch(
            "MESSAGE_UPDATE",
            self._message_data(msg),
            guild_id=msg.channel.guild_id,
            intent=self._message_intent(msg),
        )

    def message_delete(self, msg: Message) -> None:
        if msg.ephemeral:
            return
        data: JSON = {"id": str(msg.id), "channel_id": str(msg.channel.id)}
        if msg.channel.guild_id is not None:
            data["guild_id"] = str(msg.channel.guild_id)
        self.gateway.dispatch(
            "MESSAGE_DELETE", data, guild_id=msg.channel.guild_id, intent=self._message_intent(msg)
        )

    def thread_update(self, thread: Channel) -> None:
        self.gateway.dispatch("THREAD_UPDATE", thread.payload(), guild_id=thread.guild_id)

    def thread_members_update(
        self, thread: Channel, *, added: Iterable[int] = (), removed: Iterable[int] = ()
    ) -> None:
        guild = thread.guild
        assert guild is not None
        added_ids, removed_ids = list(added), list(removed)

        def build(session: GatewaySession) -> JSON | None:
            everyone = bool(session.intents & INTENT_GUILD_MEMBERS)
            show_added = [u for u in added_ids if everyone or u == self.state.bot_user.id]
            show_removed = [u for u in removed_ids if everyone or u == self.state.bot_user.id]
            if not show_added and not show_removed:
                return None
            members: list[JSON] = []
            for uid in show_added:
                item = thread.thread_member_payload(uid)
                if uid in guild.members:
                    item["member"] = guild.members[uid].payload()
                members.append(item)
            data: JSON = {
                "id": str(thread.id),
                "guild_id": str(guild.id),
                "member_count": len(thread.thread_members),
            }
            if members:
                data["added_members"] = members
            if show_removed:
                data["removed_member_ids"] = [str(u) for u in show_removed]
            return data

        self.gateway.dispatch("THREAD_MEMBERS_UPDATE", build, guild_id=guild.id)
