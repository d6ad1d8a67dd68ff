"""Discord permission bits and the permission computation (base, channel overwrites, threads)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Channel, Guild, Member


class Permission(enum.IntFlag):
    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    PRIORITY_SPEAKER = 1 << 8
    STREAM = 1 << 9
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    VIEW_GUILD_INSIGHTS = 1 << 19
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    MUTE_MEMBERS = 1 << 22
    DEAFEN_MEMBERS = 1 << 23
    MOVE_MEMBERS = 1 << 24
    USE_VAD = 1 << 25
    CHANGE_NICKNAME = 1 << 26
    MANAGE_NICKNAMES = 1 << 27
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    MANAGE_GUILD_EXPRESSIONS = 1 << 30
    USE_APPLICATION_COMMANDS = 1 << 31
    REQUEST_TO_SPEAK = 1 << 32
    MANAGE_EVENTS = 1 << 33
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    USE_EXTERNAL_STICKERS = 1 << 37
    SEND_MESSAGES_IN_THREADS = 1 << 38
    USE_EMBEDDED_ACTIVITIES = 1 << 39
    MODERATE_MEMBERS = 1 << 40
    VIEW_CREATOR_MONETIZATION_ANALYTICS = 1 << 41
    USE_SOUNDBOARD = 1 << 42
    CREATE_GUILD_EXPRESSIONS = 1 << 43
    CREATE_EVENTS = 1 << 44
    USE_EXTERNAL_SOUNDS = 1 << 45
    SEND_VOICE_MESSAGES = 1 << 46
    SEND_POLLS = 1 << 49
    USE_EXTERNAL_APPS = 1 << 50


ALL_PERMISSIONS = 0
for _perm in Permission:
    ALL_PERMISSIONS |= int(_perm)

P = Permission

#: What @everyone gets in a new guild (roughly Discord's default).
DEFAULT_EVERYONE = int(
    P.CREATE_INSTANT_INVITE
    | P.ADD_REACTIONS
    | P.STREAM
    | P.VIEW_CHANNEL
    | P.SEND_MESSAGES
    | P.EMBED_LINKS
    | P.ATTACH_FILES
    | P.READ_MESSAGE_HISTORY
    | P.USE_EXTERNAL_EMOJIS
    | P.CONNECT
    | P.SPEAK
    | P.USE_VAD
    | P.CHANGE_NICKNAME
    | P.USE_APPLICATION_COMMANDS
    | P.REQUEST_TO_SPEAK
    | P.CREATE_PUBLIC_THREADS
    | P.CREATE_PRIVATE_THREADS
    | P.USE_EXTERNAL_STICKERS
    | P.SEND_MESSAGES_IN_THREADS
    | P.USE_EMBEDDED_ACTIVITIES
    | P.SEND_VOICE_MESSAGES
    | P.SEND_POLLS
    | P.USE_EXTERNAL_APPS
)

#: The bot's own role by default: broad, but not ADMINISTRATOR (so channel overwrites still apply).
DEFAULT_BOT = DEFAULT_EVERYONE | int(
    P.MANAGE_CHANNELS
    | P.MANAGE_MESSAGES
    | P.MENTION_EVERYONE
    | P.MANAGE_ROLES
    | P.MANAGE_THREADS
    | P.MANAGE_WEBHOOKS
    | P.MODERATE_MEMBERS
)

#: Given to members added with ``manage_guild=True`` (through a "Moderators" role).
MODERATOR = int(P.MANAGE_GUILD | P.MANAGE_MESSAGES | P.MANAGE_THREADS | P.MANAGE_ROLES)


def to_bits(perms: Iterable[int | str] | int) -> int:
    """Accept a bitfield, or an iterable of bits / names like ``"SEND_MESSAGES"``."""
    if isinstance(perms, int):
        return perms
    value = 0
    for perm in perms:
        if isinstance(perm, str):
            value |= int(Permission[perm.upper()])
        else:
            value |= int(perm)
    return value


def names(bits: int) -> list[str]:
    return [p.name or str(int(p)) for p in Permission if bits & int(p)]


def base_permissions(guild: Guild, member: Member) -> int:
    if member.user.id == guild.owner_id:
        return ALL_PERMISSIONS
    value = guild.roles[guild.id].permissions
    for role_id in member.role_ids:
        role = guild.roles.get(role_id)
        if role is not None:
            value |= role.permissions
    if value & P.ADMINISTRATOR:
        return ALL_PERMISSIONS
    return value


def channel_permissions(member: Member, channel: Channel) -> int:
    """Permissions of ``member`` in ``channel`` (threads use their parent, plus private rules)."""
    guild = member.guild
    base = base_permissions(guild, member)
    if base & P.ADMINISTRATOR:
        return ALL_PERMISSIONS
    target = channel
    if channel.is_thread and channel.parent_id is not None:
        parent = guild.channels.get(channel.parent_id)
        if parent is not None:
            target = parent
    value = base
    everyone = target.overwrites.get(guild.id)
    if everyone is not None:
        value = (value & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for role_id in member.role_ids:
        ow = target.overwrites.get(role_id)
        if ow is not None and ow.type == 0:
            allow |= ow.allow
            deny |= ow.deny
    value = (value & ~deny) | allow
    own = target.overwrites.get(member.user.id)
    if own is not None and own.type == 1:
        value = (value & ~own.deny) | own.allow
    if not value & P.VIEW_CHANNEL:
        return 0
    if not channel.is_thread and not value & P.SEND_MESSAGES:
        value &= ~int(P.MENTION_EVERYONE | P.SEND_TTS_MESSAGES | P.ATTACH_FILES | P.EMBED_LINKS)
    outsider = channel.is_private_thread and member.user.id not in channel.thread_members
    if outsider and not value & P.MANAGE_THREADS:
        return 0
    return value


def has(bits: int, perm: Permission) -> bool:
    return bool(bits & int(perm))
