"""The emulated world: users, guilds, roles, members, channels/threads/DMs, messages, attachments.

Ids are ``int`` on the Python side and strings in payloads, as Discord sends them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from . import render
from .snowflake import iso_now

JSON = dict[str, Any]

EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_EMBEDS = 1 << 2
IS_COMPONENTS_V2 = 1 << 15


class ChannelType(enum.IntEnum):
    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    ANNOUNCEMENT_THREAD = 10
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    GUILD_STAGE_VOICE = 13
    GUILD_FORUM = 15


THREAD_TYPES = (10, 11, 12)


@dataclass(eq=False)
class User:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None
    dms_closed: bool = False

    @property
    def name(self) -> str:
        return self.username

    @property
    def display_name(self) -> str:
        return self.global_name or self.username

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }

    def __repr__(self) -> str:
        return f"<User {self.username} id={self.id}>"


@dataclass(eq=False)
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    mentionable: bool = False
    color: int = 0
    hoist: bool = False
    managed: bool = False
    bot_id: int | None = None

    @property
    def is_everyone(self) -> bool:
        return self.id == self.guild_id

    @property
    def mention(self) -> str:
        return "@everyone" if self.is_everyone else f"<@&{self.id}>"

    def payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": self.hoist,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "description": None,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data

    def __repr__(self) -> str:
        return f"<Role {self.name} id={self.id}>"


@dataclass(eq=False)
class Member:
    user: User
    guild: Guild
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def display_name(self) -> str:
        return self.nick or self.user.display_name

    @property
    def mention(self) -> str:
        return self.user.mention

    def payload(self, *, with_user: bool = True) -> JSON:
        data: JSON = {
            "roles": [str(r) for r in self.role_ids],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data

    def __repr__(self) -> str:
        return f"<Member {self.name} guild={self.guild.name!r}>"


@dataclass(eq=False)
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass(eq=False)
class Channel:
    id: int
    type: int
    name: str
    guild: Guild | None = None
    parent_id: int | None = None
    position: int = 0
    topic: str | None = None
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    # threads
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    invitable: bool = True
    thread_members: dict[int, str] = field(default_factory=dict)
    message_count: int = 0
    created_at: str = field(default_factory=iso_now)
    archive_timestamp: str = field(default_factory=iso_now)
    # DMs
    recipient: User | None = None
    deleted: bool = False
    last_message_id: int | None = None

    @property
    def guild_id(self) -> int | None:
        return self.guild.id if self.guild is not None else None

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def is_private_thread(self) -> bool:
        return self.type == ChannelType.PRIVATE_THREAD

    @property
    def is_dm(self) -> bool:
        return self.type == ChannelType.DM

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def members(self) -> list[int]:
        """Ids of the thread's members (threads only)."""
        return list(self.thread_members)

    @property
    def label(self) -> str:
        """How the transcript names the channel."""
        if self.is_dm:
            who = self.recipient.username if self.recipient else "?"
            return f"{who} (DM)"
        if self.is_thread:
            kind = "private thread" if self.is_private_thread else "thread"
            return f"{kind} '{self.name}'"
        return f"#{self.name}"

    def payload(self, *, permissions: int | None = None) -> JSON:
        if self.is_dm:
            data = self._dm_payload()
        elif self.is_thread:
            data = self._thread_payload()
        else:
            data = self._guild_channel_payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data

    def _dm_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "type": self.type,
            "last_message_id": _opt(self.last_message_id),
            "recipients": [self.recipient.payload()] if self.recipient else [],
            "flags": 0,
        }

    def _thread_payload(self) -> JSON:
        metadata: JSON = {
            "archived": self.archived,
            "auto_archive_duration": self.auto_archive_duration,
            "archive_timestamp": self.archive_timestamp,
            "locked": self.locked,
            "create_timestamp": self.created_at,
        }
        if self.is_private_thread:
            metadata["invitable"] = self.invitable
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": _opt(self.guild_id),
            "parent_id": _opt(self.parent_id),
            "owner_id": _opt(self.owner_id),
            "name": self.name,
            "last_message_id": _opt(self.last_message_id),
            "message_count": self.message_count,
            "member_count": len(self.thread_members),
            "total_message_sent": self.message_count,
            "rate_limit_per_user": 0,
            "flags": 0,
            "applied_tags": [],
            "thread_metadata": metadata,
        }

    def _guild_channel_payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": _opt(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [ow.payload() for ow in self.overwrites.values()],
            "parent_id": _opt(self.parent_id),
            "nsfw": False,
            "flags": 0,
        }
        if self.type in (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT):
            data.update(
                topic=self.topic,
                last_message_id=_opt(self.last_message_id),
                rate_limit_per_user=0,
                default_auto_archive_duration=1440,
                default_thread_rate_limit_per_user=0,
                last_pin_timestamp=None,
            )
        elif self.type in (ChannelType.GUILD_VOICE, ChannelType.GUILD_STAGE_VOICE):
            data.update(
                bitrate=64000,
                user_limit=0,
                rtc_region=None,
                video_quality_mode=1,
                last_message_id=_opt(self.last_message_id),
                rate_limit_per_user=0,
            )
        return data

    def thread_member_payload(self, user_id: int) -> JSON:
        return {
            "id": str(self.id),
            "user_id": str(user_id),
            "join_timestamp": self.thread_members.get(user_id, iso_now()),
            "flags": 0,
        }

    def __repr__(self) -> str:
        return f"<Channel {self.label} id={self.id} type={self.type}>"


@dataclass(eq=False)
class Guild:
    id: int
    name: str
    owner_id: int
    locale: str = "en-US"
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    threads: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    removed: bool = False

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.locale,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "max_members": 500000,
            "max_video_channel_users": 25,
        }

    def __repr__(self) -> str:
        return f"<Guild {self.name} id={self.id}>"


@dataclass(eq=False)
class Attachment:
    """A file: uploaded by the bot (stored on its message) or made by a test for a slash option."""

    id: int
    filename: str
    data: bytes
    url: str
    content_type: str | None = None
    description: str | None = None
    ephemeral: bool = False

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")

    def payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }
        if self.description is not None:
            data["description"] = self.description
        if self.ephemeral:
            data["ephemeral"] = True
        return data

    def __repr__(self) -> str:
        return f"<Attachment {self.filename} {self.size} bytes>"


@dataclass(eq=False)
class Message:
    id: int
    channel: Channel
    author: User
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    allowed_mentions: JSON | None = None
    message_reference: JSON | None = None
    type: int = 0
    tts: bool = False
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: JSON | None = None
    interaction_id: int | None = None
    visible_to: int | None = None  # ephemeral: the only user who sees it
    pinged_everyone: bool = False
    pinged_roles: frozenset[int] = frozenset()
    pinged_users: frozenset[int] = frozenset()
    mentioned_users: list[User] = field(default_factory=list)
    thread: Channel | None = None
    deleted: bool = False
    edit_count: int = 0
    pinned: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

    @property
    def guild(self) -> Guild | None:
        return self.channel.guild

    @property
    def text(self) -> str:
        """Content, embed texts, text displays and buttons as one plain string."""
        return render.full_text(self.content, self.embeds, self.components)

    @property
    def all_components(self) -> list[JSON]:
        return list(render.iter_components(self.components))

    @property
    def buttons(self) -> list[JSON]:
        return [c for c in self.all_components if c.get("type") == render.BUTTON]

    def find_component(self, custom_id: str) -> JSON | None:
        for comp in self.all_components:
            if comp.get("custom_id") == custom_id:
                return comp
        return None

    def find_button(self, label: str) -> JSON | None:
        for comp in self.buttons:
            if comp.get("label") == label:
                return comp
        return None

    def payload(self) -> JSON:
        guild = self.channel.guild
        data: JSON = {
            "id": str(self.id),
            "channel_id": str(self.channel.id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": self.tts,
            "mention_everyone": self.pinged_everyone,
            "mentions": [],
            "mention_roles": [str(r) for r in sorted(self.pinged_roles)],
            "mention_channels": [],
            "attachments": [a.payload() for a in self.attachments],
            "embeds": self.embeds,
            "reactions": [],
            "pinned": self.pinned,
            "type": self.type,
            "flags": self.flags,
            "components": self.components,
        }
        mentions: list[JSON] = []
        for user in self.mentioned_users:
            udata = user.payload()
            if guild is not None and user.id in guild.members:
                udata["member"] = guild.members[user.id].payload(with_user=False)
            mentions.append(udata)
        data["mentions"] = mentions
        if guild is not None:
            data["guild_id"] = str(guild.id)
            author_member = guild.members.get(self.author.id)
            if author_member is not None and self.webhook_id is None:
                data["member"] = author_member.payload(with_user=False)
        if self.message_reference is not None:
            data["message_reference"] = self.message_reference
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        if self.thread is not None and not self.thread.deleted:
            data["thread"] = self.thread.payload()
        return data

    def __repr__(self) -> str:
        return (
            f"<Message id={self.id} in {self.channel.label} by {self.author.username}"
            f" {render.trim(self.text, 60)!r}>"
        )


def _opt(value: int | None) -> str | None:
    return None if value is None else str(value)
