"""The emulator's world state: registries, world building, message storage and mention rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import UNKNOWN_MESSAGE, ApiError, unknown
from .models import (
    EPHEMERAL,
    LOADING,
    SUPPRESS_EMBEDS,
    Attachment,
    Channel,
    ChannelType,
    Guild,
    Member,
    Message,
    Overwrite,
    Role,
    User,
)
from .permissions import DEFAULT_BOT, DEFAULT_EVERYONE, MODERATOR, Permission, channel_permissions
from .snowflake import SnowflakeGenerator, iso_now

JSON = dict[str, Any]

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


@dataclass
class Upload:
    """A file part of a multipart request (``files[n]``)."""

    index: int
    filename: str
    content_type: str | None
    data: bytes


class EmulatorState:
    def __init__(
        self, *, application_id: int | None, bot_name: str, base_url: Callable[[], str]
    ) -> None:
        self.ids = SnowflakeGenerator()
        self._base_url = base_url
        self.application_id = application_id or self.ids.next()
        self.bot_user = User(id=self.application_id, username=bot_name, bot=True)
        self.owner_user = User(id=self.ids.next(), username="server-owner")
        self.users: dict[int, User] = {
            self.bot_user.id: self.bot_user,
            self.owner_user.id: self.owner_user,
        }
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages_by_id: dict[int, Message] = {}
        self.channel_messages: dict[int, list[Message]] = {}
        self.dm_channels: dict[int, Channel] = {}
        self.attachments: dict[int, Attachment] = {}
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[int, list[JSON]] = {}

    # ----------------------------------------------------------------- world building
    def new_guild(self, name: str, *, locale: str, bot_permissions: int | None) -> Guild:
        gid = self.ids.next(new_timestamp=True)
        guild = Guild(id=gid, name=name, owner_id=self.owner_user.id, locale=locale)
        guild.roles[gid] = Role(
            id=gid, guild_id=gid, name="@everyone", permissions=DEFAULT_EVERYONE
        )
        bot_role = Role(
            id=self.ids.next(),
            guild_id=gid,
            name=self.bot_user.username,
            permissions=DEFAULT_BOT if bot_permissions is None else bot_permissions,
            position=100,
            managed=True,
            bot_id=self.bot_user.id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[self.bot_user.id] = Member(
            user=self.bot_user, guild=guild, role_ids=[bot_role.id]
        )
        self.guilds[gid] = guild
        return guild

    def new_role(
        self,
        guild: Guild,
        name: str,
        *,
        permissions: int = 0,
        mentionable: bool = False,
        color: int = 0,
        hoist: bool = False,
    ) -> Role:
        position = 1 + sum(1 for r in guild.roles.values() if not r.is_everyone and not r.managed)
        role = Role(
            id=self.ids.next(),
            guild_id=guild.id,
            name=name,
            permissions=permissions,
            position=position,
            mentionable=mentionable,
            color=color,
            hoist=hoist,
        )
        guild.roles[role.id] = role
        return role

    def role_named(self, guild: Guild, name: str, permissions: int) -> tuple[Role, bool]:
        for role in guild.roles.values():
            if role.name == name:
                return role, False
        return self.new_role(guild, name, permissions=permissions), True

    def new_channel(
        self,
        guild: Guild,
        ctype: int,
        name: str,
        *,
        parent: Channel | None = None,
        topic: str | None = None,
    ) -> Channel:
        channel = Channel(
            id=self.ids.next(),
            type=ctype,
            name=name,
            guild=guild,
            parent_id=parent.id if parent is not None else None,
            position=len(guild.channels),
            topic=topic,
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        self.channel_messages[channel.id] = []
        return channel

    def new_user(self, name: str, *, bot: bool = False, global_name: str | None = None) -> User:
        user = User(id=self.ids.next(), username=name, bot=bot, global_name=global_name)
        self.users[user.id] = user
        return user

    def new_member(
        self,
        guild: Guild,
        name: str,
        *,
        manage_guild: bool,
        permissions: int | None,
        roles: list[Role],
        bot: bool,
        nick: str | None,
        user: User | None,
    ) -> tuple[Member, list[Role]]:
        """Returns the member and any roles created for it."""
        created: list[Role] = []
        role_ids = [r.id for r in roles]
        if manage_guild:
            role, made = self.role_named(guild, "Moderators", MODERATOR)
            role_ids.append(role.id)
            if made:
                created.append(role)
        if permissions is not None:
            role = self.new_role(guild, f"perms:{name}", permissions=permissions)
            role_ids.append(role.id)
            created.append(role)
        if user is None:
            user = self.new_user(name, bot=bot)
        member = Member(user=user, guild=guild, role_ids=role_ids, nick=nick)
        guild.members[user.id] = member
        return member, created

    def new_thread(
        self,
        parent: Channel,
        *,
        name: str,
        ttype: int,
        owner: User,
        auto_archive_duration: int,
        invitable: bool,
        thread_id: int | None = None,
    ) -> Channel:
        guild = parent.guild
        assert guild is not None
        thread = Channel(
            id=thread_id or self.ids.next(),
            type=ttype,
            name=name,
            guild=guild,
            parent_id=parent.id,
            owner_id=owner.id,
            auto_archive_duration=auto_archive_duration,
            invitable=invitable,
        )
        thread.thread_members[owner.id] = iso_now()
        guild.threads[thread.id] = thread
        self.channels[thread.id] = thread
        self.channel_messages[thread.id] = []
        return thread

    def dm_channel(self, user: User) -> Channel:
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = Channel(id=self.ids.next(), type=ChannelType.DM, name="", recipient=user)
            self.dm_channels[user.id] = channel
            self.channels[channel.id] = channel
            self.channel_messages[channel.id] = []
        return channel

    def set_overwrite(
        self, channel: Channel, target_id: int, target_type: int, allow: int, deny: int
    ) -> None:
        if allow == 0 and deny == 0:
            # Nothing allowed or denied: the overwrite is removed, as Discord's UI does.
            channel.overwrites.pop(target_id, None)
            return
        ow = channel.overwrites.get(target_id)
        if ow is None:
            ow = channel.overwrites[target_id] = Overwrite(id=target_id, type=target_type)
        ow.allow = (ow.allow | allow) & ~deny
        ow.deny = (ow.deny | deny) & ~allow

    # ----------------------------------------------------------------- lookups
    def bot_member(self, guild: Guild) -> Member:
        return guild.members[self.bot_user.id]

    def permissions_of(self, user: User, channel: Channel) -> int:
        """Channel permissions of a user (everything in DMs)."""
        if channel.guild is None:
            return int(
                Permission.VIEW_CHANNEL
                | Permission.SEND_MESSAGES
                | Permission.EMBED_LINKS
                | Permission.ATTACH_FILES
                | Permission.READ_MESSAGE_HISTORY
            )
        member = channel.guild.members.get(user.id)
        if member is None:
            return 0
        return channel_permissions(member, channel)

    def bot_permissions(self, channel: Channel) -> int:
        return self.permissions_of(self.bot_user, channel)

    def get_message(self, channel: Channel, message_id: int) -> Message:
        msg = self.messages_by_id.get(message_id)
        if msg is None or msg.deleted or msg.channel is not channel or msg.ephemeral:
            raise unknown("Message", UNKNOWN_MESSAGE)
        return msg

    def history(self, channel: Channel, *, include_ephemeral: bool = False) -> list[Message]:
        return [
            m
            for m in self.channel_messages.get(channel.id, [])
            if not m.deleted and (include_ephemeral or not m.ephemeral)
        ]

    # ----------------------------------------------------------------- messages
    def attachment_url(self, channel_id: int, attachment_id: int, filename: str) -> str:
        return f"{self._base_url()}/attachments/{channel_id}/{attachment_id}/{filename}"

    def new_attachment(
        self,
        channel_id: int,
        filename: str,
        data: bytes,
        content_type: str | None,
        *,
        description: str | None = None,
        ephemeral: bool = False,
    ) -> Attachment:
        att_id = self.ids.next()
        att = Attachment(
            id=att_id,
            filename=filename,
            data=data,
            url=self.attachment_url(channel_id, att_id, filename),
            content_type=content_type,
            description=description,
            ephemeral=ephemeral,
        )
        self.attachments[att_id] = att
        return att

    def _attachments_from(
        self, channel: Channel, body: JSON, uploads: list[Upload], *, ephemeral: bool
    ) -> tuple[list[int], list[Attachment]]:
        """(ids of existing attachments to keep, new attachments) for a body + uploads."""
        described = {}
        keep: list[int] = []
        for item in body.get("attachments") or []:
            try:
                ident = int(item.get("id"))
            except (TypeError, ValueError):
                continue
            if ident in self.attachments:
                keep.append(ident)
            else:
                described[ident] = item
        new: list[Attachment] = []
        for up in uploads:
            meta = described.get(up.index, {})
            new.append(
                self.new_attachment(
                    channel.id,
                    str(meta.get("filename") or up.filename),
                    up.data,
                    up.content_type,
                    description=meta.get("description"),
                    ephemeral=ephemeral,
                )
            )
        return keep, new

    def create_message(
        self,
        channel: Channel,
        author: User,
        body: JSON,
        uploads: list[Upload],
        *,
        visible_to: int | None = None,
        webhook_id: int | None = None,
        interaction_metadata: JSON | None = None,
        interaction_id: int | None = None,
        msg_type: int = 0,
        extra_flags: int = 0,
    ) -> Message:
        flags = int(body.get("flags") or 0) | extra_flags
        ephemeral = bool(flags & EPHEMERAL)
        _, attachments = self._attachments_from(channel, body, uploads, ephemeral=ephemeral)
        reference = self._reference(channel, body.get("message_reference"))
        replied = reference is not None and self.messages_by_id.get(
            int(reference.get("message_id") or 0)
        )
        if replied and msg_type == 0:
            msg_type = 19  # a reply
        msg = Message(
            id=self.ids.next(),
            channel=channel,
            author=author,
            content=str(body.get("content") or ""),
            embeds=list(body.get("embeds") or []),
            components=_with_component_ids(list(body.get("components") or [])),
            attachments=attachments,
            flags=flags,
            allowed_mentions=body.get("allowed_mentions"),
            message_reference=reference,
            type=msg_type,
            tts=bool(body.get("tts")),
            webhook_id=webhook_id,
            application_id=self.application_id if webhook_id is not None else None,
            interaction_metadata=interaction_metadata,
            interaction_id=interaction_id,
            visible_to=visible_to if ephemeral else None,
        )
        self.resolve_mentions(msg)
        self.messages_by_id[msg.id] = msg
        self.channel_messages.setdefault(channel.id, []).append(msg)
        if not ephemeral:
            channel.last_message_id = msg.id
            if channel.is_thread:
                channel.message_count += 1
        return msg

    def _reference(self, channel: Channel, reference: JSON | None) -> JSON | None:
        """A message reference completed with its channel and guild; Discord refuses one to an
        unknown message unless `fail_if_not_exists` is false."""
        if reference is None:
            return None
        reference = dict(reference)
        reference.setdefault("channel_id", str(channel.id))
        if channel.guild is not None:
            reference.setdefault("guild_id", str(channel.guild.id))
        ref_id = reference.get("message_id")
        known = ref_id and self.messages_by_id.get(int(ref_id)) is not None
        if not known and reference.get("fail_if_not_exists", True):
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                errors={
                    "message_reference": {
                        "_errors": [
                            {
                                "code": "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                                "message": "Unknown message",
                            }
                        ]
                    }
                },
            )
        return reference

    def edit_message(self, msg: Message, body: JSON, uploads: list[Upload]) -> None:
        if "content" in body:
            msg.content = str(body.get("content") or "")
        if "embeds" in body:
            msg.embeds = list(body.get("embeds") or [])
        if "components" in body:
            msg.components = _with_component_ids(list(body.get("components") or []))
        if "allowed_mentions" in body:
            msg.allowed_mentions = body.get("allowed_mentions")
        if "flags" in body and body.get("flags") is not None:
            wanted = int(body["flags"])
            msg.flags = (msg.flags & ~SUPPRESS_EMBEDS) | (wanted & SUPPRESS_EMBEDS)
        keep, new = self._attachments_from(msg.channel, body, uploads, ephemeral=msg.ephemeral)
        if "attachments" in body:
            msg.attachments = [a for a in msg.attachments if a.id in keep]
        msg.attachments.extend(new)
        msg.flags &= ~LOADING
        msg.edited_timestamp = iso_now()
        msg.edit_count += 1
        self.resolve_mentions(msg)

    def resolve_mentions(self, msg: Message) -> None:
        """Who the message would ping, by Discord's rules and the allowed_mentions sent."""
        content = msg.content
        guild = msg.channel.guild
        allowed = msg.allowed_mentions
        if allowed is None:
            parse = {"users", "roles", "everyone"}
            allowed_users: set[int] = set()
            allowed_roles: set[int] = set()
            replied_user = True
        else:
            parse = set(allowed.get("parse") or [])
            allowed_users = {int(x) for x in allowed.get("users") or []}
            allowed_roles = {int(x) for x in allowed.get("roles") or []}
            replied_user = bool(allowed.get("replied_user", False))
        author_perms = self.permissions_of(msg.author, msg.channel)
        can_everyone = bool(author_perms & Permission.MENTION_EVERYONE)
        users: list[User] = []
        for match in USER_MENTION.finditer(content):
            uid = int(match.group(1))
            if "users" not in parse and uid not in allowed_users:
                continue
            user = self.users.get(uid)
            if user is None or any(u.id == uid for u in users):
                continue
            if guild is not None and uid not in guild.members:
                continue
            users.append(user)
        roles: set[int] = set()
        everyone = False
        if guild is not None:
            for match in ROLE_MENTION.finditer(content):
                rid = int(match.group(1))
                role = guild.roles.get(rid)
                if role is None or role.is_everyone:
                    continue
                if "roles" not in parse and rid not in allowed_roles:
                    continue
                if role.mentionable or can_everyone:
                    roles.add(rid)
            if ("@everyone" in content or "@here" in content) and "everyone" in parse:
                everyone = can_everyone
        ref = msg.message_reference
        if ref is not None and replied_user and ref.get("message_id"):
            ref_msg = self.messages_by_id.get(int(ref["message_id"]))
            other = ref_msg is not None and ref_msg.author.id != msg.author.id
            if ref_msg is not None and other and all(u.id != ref_msg.author.id for u in users):
                users.append(ref_msg.author)
        msg.mentioned_users = users
        msg.pinged_users = frozenset(u.id for u in users)
        msg.pinged_roles = frozenset(roles)
        msg.pinged_everyone = everyone


def _with_component_ids(components: list[JSON]) -> list[JSON]:
    """Discord numbers components (``id``) when the message is stored; do the same."""
    counter = 0

    def visit(items: list[Any]) -> list[Any]:
        nonlocal counter
        out: list[Any] = []
        for item in items:
            if not isinstance(item, dict):
                out.append(item)
                continue
            comp = dict(item)
            if "id" not in comp:
                counter += 1
                comp["id"] = counter
            else:
                counter = max(counter, int(comp["id"]))
            if isinstance(comp.get("components"), list):
                comp["components"] = visit(comp["components"])
            for key in ("component", "accessory"):
                if isinstance(comp.get(key), dict):
                    comp[key] = visit([comp[key]])[0]
            out.append(comp)
        return out

    return visit(components)
