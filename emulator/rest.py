"""REST resources: users, app commands, gateway info, channels, messages, threads, guilds."""

from __future__ import annotations

from typing import Any

from .core import EmulatorCore
from .errors import (
    CANNOT_EDIT_OTHERS_MESSAGE,
    CANNOT_SEND_TO_USER,
    INVALID_CHANNEL_TYPE,
    THREAD_ALREADY_CREATED,
    THREAD_ARCHIVED,
    UNKNOWN_APPLICATION_COMMAND,
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_MEMBER,
    UNKNOWN_ROLE,
    UNKNOWN_USER,
    ApiError,
    missing_access,
    missing_permissions,
    unknown,
)
from .models import Channel, ChannelType, Guild, Member, Message, User
from .permissions import Permission, base_permissions, channel_permissions
from .server import Ctx, Reply, Router
from .snowflake import iso_now
from .transcript import message_summary
from .validation import FormErrors, check_commands, check_message_body

JSON = dict[str, Any]
P = Permission
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)


# Every route the emulator answers, as (method, path, RestApi method name).
ROUTES: tuple[tuple[str, str, str], ...] = (
    ("GET", "/users/@me", "get_me"),
    ("GET", "/users/{user_id}", "get_user"),
    ("GET", "/users/@me/guilds", "my_guilds"),
    ("POST", "/users/@me/channels", "create_dm"),
    ("GET", "/oauth2/applications/@me", "application_info"),
    ("GET", "/applications/@me", "application_info"),
    ("GET", "/gateway", "gateway"),
    ("GET", "/gateway/bot", "gateway_bot"),
    ("GET", "/applications/{application_id}/commands", "get_commands"),
    ("PUT", "/applications/{application_id}/commands", "put_commands"),
    ("POST", "/applications/{application_id}/commands", "upsert_command"),
    ("GET", "/applications/{application_id}/commands/{command_id}", "get_command"),
    ("PATCH", "/applications/{application_id}/commands/{command_id}", "edit_command"),
    ("DELETE", "/applications/{application_id}/commands/{command_id}", "delete_command"),
    ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", "get_commands"),
    ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", "put_commands"),
    ("POST", "/applications/{application_id}/guilds/{guild_id}/commands", "upsert_command"),
    (
        "GET",
        "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}",
        "get_command",
    ),
    (
        "PATCH",
        "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}",
        "edit_command",
    ),
    (
        "DELETE",
        "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}",
        "delete_command",
    ),
    (
        "GET",
        "/applications/{application_id}/guilds/{guild_id}/commands/permissions",
        "command_permissions",
    ),
    ("GET", "/channels/{channel_id}", "get_channel"),
    ("PATCH", "/channels/{channel_id}", "edit_channel"),
    ("DELETE", "/channels/{channel_id}", "delete_channel"),
    ("GET", "/channels/{channel_id}/messages", "history"),
    ("POST", "/channels/{channel_id}/messages", "send_message"),
    ("GET", "/channels/{channel_id}/messages/{message_id}", "get_message"),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}", "edit_message"),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}", "delete_message"),
    ("POST", "/channels/{channel_id}/messages/{message_id}/threads", "thread_from_message"),
    ("POST", "/channels/{channel_id}/threads", "thread_without_message"),
    ("GET", "/channels/{channel_id}/thread-members", "thread_members"),
    ("GET", "/channels/{channel_id}/thread-members/{user_id}", "thread_member"),
    ("PUT", "/channels/{channel_id}/thread-members/{user_id}", "add_thread_member"),
    ("DELETE", "/channels/{channel_id}/thread-members/{user_id}", "remove_thread_member"),
    ("GET", "/channels/{channel_id}/threads/archived/public", "archived_threads"),
    ("GET", "/channels/{channel_id}/threads/archived/private", "archived_threads"),
    ("POST", "/channels/{channel_id}/typing", "typing"),
    ("PUT", "/channels/{channel_id}/pins/{message_id}", "pin"),
    ("DELETE", "/channels/{channel_id}/pins/{message_id}", "unpin"),
    ("PUT", "/channels/{channel_id}/messages/pins/{message_id}", "pin"),
    ("DELETE", "/channels/{channel_id}/messages/pins/{message_id}", "unpin"),
    (
        "PUT",
        "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
        "react",
    ),
    (
        "DELETE",
        "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
        "react",
    ),
    ("GET", "/guilds/{guild_id}", "get_guild"),
    ("GET", "/guilds/{guild_id}/channels", "guild_channels"),
    ("GET", "/guilds/{guild_id}/roles", "guild_roles"),
    ("GET", "/guilds/{guild_id}/threads/active", "active_threads"),
    ("GET", "/guilds/{guild_id}/members", "guild_members"),
    ("GET", "/guilds/{guild_id}/members/{user_id}", "guild_member"),
    ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", "add_role"),
    ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", "remove_role"),
)


def register(emu: EmulatorCore, router: Router) -> None:
    api = RestApi(emu)
    for method, path, handler in ROUTES:
        router.add(method, path, getattr(api, handler))


class RestApi:
    def __init__(self, emu: EmulatorCore) -> None:
        self.emu = emu
        self.state = emu.state

    # ------------------------------------------------------------------ helpers
    @property
    def bot(self) -> User:
        return self.state.bot_user

    def channel(self, ctx: Ctx, *, view: bool = True) -> Channel:
        channel = self.state.channels.get(ctx.snowflake("channel_id"))
        if channel is None or channel.deleted:
            raise unknown("Channel", UNKNOWN_CHANNEL)
        if channel.guild is not None and channel.guild.removed:
            raise unknown("Channel", UNKNOWN_CHANNEL)
        visible = channel.guild is None or self.state.bot_permissions(channel) & P.VIEW_CHANNEL
        if view and not visible:
            raise missing_access()
        return channel

    def require(self, channel: Channel, *perms: Permission) -> int:
        bits = self.state.bot_permissions(channel)
        if not bits & P.VIEW_CHANNEL:
            raise missing_access()
        for perm in perms:
            if not bits & perm:
                raise missing_permissions()
        return bits

    def guild(self, ctx: Ctx) -> Guild:
        guild = self.state.guilds.get(ctx.snowflake("guild_id"))
        if guild is None or guild.removed:
            raise unknown("Guild", UNKNOWN_GUILD)
        return guild

    def user_param(self, ctx: Ctx) -> User:
        raw = ctx.params.get("user_id", "")
        if raw == "@me":
            return self.bot
        user = self.state.users.get(ctx.snowflake("user_id"))
        if user is None:
            raise unknown("User", UNKNOWN_USER)
        return user

    def member_param(self, guild: Guild, ctx: Ctx) -> Member:
        if ctx.params.get("user_id") == "@me":
            return guild.members[self.bot.id]
        member = guild.members.get(ctx.snowflake("user_id"))
        if member is None:
            raise unknown("Member", UNKNOWN_MEMBER)
        return member

    def member_of(self, guild: Guild, user: User) -> Member:
        member = guild.members.get(user.id)
        if member is None:
            raise unknown("Member", UNKNOWN_MEMBER)
        return member

    def check_app(self, ctx: Ctx) -> None:
        if ctx.snowflake("application_id") != self.state.application_id:
            raise ApiError(403, 50001, "Missing Access")

    # ------------------------------------------------------------------ users & app
    async def get_me(self, ctx: Ctx) -> Reply:
        data = self.bot.payload()
        data.update(verified=True, mfa_enabled=False, email=None, locale="en-US")
        return Reply(body=data)

    async def get_user(self, ctx: Ctx) -> Reply:
        return Reply(body=self.user_param(ctx).payload())

    async def my_guilds(self, ctx: Ctx) -> Reply:
        guilds: list[JSON] = [
            {
                "id": str(g.id),
                "name": g.name,
                "icon": None,
                "owner": False,
                "permissions": str(self._guild_perms(g)),
                "features": [],
                "banner": None,
            }
            for g in self.state.guilds.values()
            if not g.removed
        ]
        return Reply(body=guilds)

    def _guild_perms(self, guild: Guild) -> int:
        return base_permissions(guild, guild.members[self.bot.id])

    async def create_dm(self, ctx: Ctx) -> Reply:
        raw = ctx.body().get("recipient_id")
        try:
            user = self.state.users.get(int(raw or 0))
        except (TypeError, ValueError):
            user = None
        if user is None:
            raise unknown("User", UNKNOWN_USER)
        return Reply(body=self.state.dm_channel(user).payload())

    async def application_info(self, ctx: Ctx) -> Reply:
        owner = self.state.owner_user.payload()
        return Reply(
            body={
                "id": str(self.state.application_id),
                "name": self.bot.username,
                "icon": None,
                "description": "Emulated application",
                "summary": "",
                "type": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "owner": owner,
                "team": None,
                "flags": 0,
                "tags": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "bot": self.bot.payload(),
                "approximate_guild_count": len(self.state.guilds),
                "integration_types_config": {"0": {}},
            }
        )

    async def gateway(self, ctx: Ctx) -> Reply:
        return Reply(body={"url": self.emu.gateway_url})

    async def gateway_bot(self, ctx: Ctx) -> Reply:
        return Reply(
            body={
                "url": self.emu.gateway_url,
                "shards": self.emu.shard_count,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    # ------------------------------------------------------------------ commands
    def _command_list(self, ctx: Ctx) -> tuple[list[JSON], int | None]:
        self.check_app(ctx)
        if "guild_id" in ctx.params:
            guild = self.guild(ctx)
            return self.state.guild_commands.setdefault(guild.id, []), guild.id
        return self.state.global_commands, None

    def _normalise_command(self, raw: JSON, existing: list[JSON], guild_id: int | None) -> JSON:
        ctype = int(raw.get("type", 1))
        previous = next(
            (c for c in existing if c.get("name") == raw.get("name") and c.get("type") == ctype),
            None,
        )
        perms = raw.get("default_member_permissions")
        cmd: JSON = {
            "id": previous["id"] if previous else str(self.state.ids.next()),
            "application_id": str(self.state.application_id),
            "version": str(self.state.ids.next()),
            "type": ctype,
            "name": raw.get("name"),
            "description": raw.get("description", "") if ctype == 1 else "",
            "options": raw.get("options") or [],
            "default_member_permissions": perms if perms is None else str(perms),
            "nsfw": bool(raw.get("nsfw", False)),
            "name_localizations": raw.get("name_localizations"),
            "description_localizations": raw.get("description_localizations"),
        }
        for key in ("contexts", "integration_types", "dm_permission"):
            if key in raw:
                cmd[key] = raw[key]
        if guild_id is not None:
            cmd["guild_id"] = str(guild_id)
        return cmd

    async def get_commands(self, ctx: Ctx) -> Reply:
        commands, _ = self._command_list(ctx)
        return Reply(body=list(commands))

    async def put_commands(self, ctx: Ctx) -> Reply:
        commands, guild_id = self._command_list(ctx)
        body = ctx.json if isinstance(ctx.json, list) else []
        check_commands(ctx.json)
        new = [self._normalise_command(raw, commands, guild_id) for raw in body]
        commands[:] = new
        where = "global" if guild_id is None else f"guild {self.state.guilds[guild_id].name!r}"
        names = ", ".join(f"/{c['name']}" for c in new if c["type"] == 1)
        self.emu.log.add(f"bot synced {len(new)} {where} command(s): {names}")
        return Reply(body=new)

    async def upsert_command(self, ctx: Ctx) -> Reply:
        commands, guild_id = self._command_list(ctx)
        check_commands([ctx.body()])
        cmd = self._normalise_command(ctx.body(), commands, guild_id)
        existed = any(c["id"] == cmd["id"] for c in commands)
        commands[:] = [c for c in commands if c["id"] != cmd["id"]] + [cmd]
        return Reply(200 if existed else 201, cmd)

    def _find_command(self, ctx: Ctx) -> tuple[list[JSON], JSON]:
        commands, _ = self._command_list(ctx)
        cid = ctx.params.get("command_id")
        for cmd in commands:
            if cmd["id"] == cid:
                return commands, cmd
        raise unknown("application command", UNKNOWN_APPLICATION_COMMAND)

    async def get_command(self, ctx: Ctx) -> Reply:
        return Reply(body=self._find_command(ctx)[1])

    async def edit_command(self, ctx: Ctx) -> Reply:
        _, cmd = self._find_command(ctx)
        for key, value in ctx.body().items():
            if key not in ("id", "application_id", "type"):
                cmd[key] = value
        cmd["version"] = str(self.state.ids.next())
        return Reply(body=cmd)

    async def delete_command(self, ctx: Ctx) -> Reply:
        commands, cmd = self._find_command(ctx)
        commands.remove(cmd)
        return Reply.no_content()

    async def command_permissions(self, ctx: Ctx) -> Reply:
        self.check_app(ctx)
        return Reply(body=[])

    # ------------------------------------------------------------------ channels
    async def get_channel(self, ctx: Ctx) -> Reply:
        return Reply(body=self.channel(ctx).payload())

    async def edit_channel(self, ctx: Ctx) -> Reply:
        channel = self.channel(ctx)
        body = ctx.body()
        if channel.is_thread:
            return self._edit_thread(channel, body)
        if channel.guild is None:
            raise ApiError(400, INVALID_CHANNEL_TYPE, "Cannot execute action on a DM channel")
        self.require(channel, P.MANAGE_CHANNELS)
        errs = FormErrors()
        if "name" in body:
            errs.length_between(("name",), body.get("name"), 1, 100)
        errs.max_len(("topic",), body.get("topic"), 1024)
        errs.raise_if_any()
        channel.name = str(body.get("name", channel.name))
        if "topic" in body:
            channel.topic = body.get("topic")
        self.emu.dispatch("CHANNEL_UPDATE", channel.payload(), guild_id=channel.guild_id)
        return Reply(body=channel.payload())

    def _edit_thread(self, thread: Channel, body: JSON) -> Reply:
        bits = self.require(thread)
        manage = bool(bits & P.MANAGE_THREADS)
        owner = thread.owner_id == self.bot.id
        if thread.archived and body.get("archived") is not False:
            raise ApiError(400, THREAD_ARCHIVED, "Thread is archived")
        if thread.locked and not manage:
            raise missing_permissions()
        if "locked" in body and not manage:
            raise missing_permissions()
        if not (manage or owner):
            raise missing_permissions()
        errs = FormErrors()
        if "name" in body:
            errs.length_between(("name",), body.get("name"), 1, 100)
        duration = body.get("auto_archive_duration")
        if duration is not None and duration not in ARCHIVE_DURATIONS:
            errs.add(
                ("auto_archive_duration",),
                "BASE_TYPE_CHOICES",
                "Value must be one of 60, 1440, 4320, 10080.",
            )
        errs.raise_if_any()
        before = thread.label
        verbs: list[str] = []
        if "archived" in body and bool(body["archived"]) != thread.archived:
            thread.archived = bool(body["archived"])
            thread.archive_timestamp = iso_now()
            verbs.append("archived" if thread.archived else "unarchived")
        if "locked" in body and bool(body["locked"]) != thread.locked:
            thread.locked = bool(body["locked"])
            verbs.append("locked" if thread.locked else "unlocked")
        if "name" in body and body["name"] != thread.name:
            thread.name = str(body["name"])
            self.emu.log.add(f"bot renamed {before} to '{thread.name}'")
        if duration is not None:
            thread.auto_archive_duration = int(duration)
        if "invitable" in body and thread.is_private_thread:
            thread.invitable = bool(body["invitable"])
        if verbs:
            self.emu.log.add(f"bot {' and '.join(verbs)} {thread.label}")
        self.emu.events.thread_update(thread)
        return Reply(body=thread.payload())

    async def delete_channel(self, ctx: Ctx) -> Reply:
        channel = self.channel(ctx)
        if channel.guild is None:
            return Reply(body=channel.payload())
        self.require(channel, P.MANAGE_THREADS if channel.is_thread else P.MANAGE_CHANNELS)
        payload = channel.payload()
        self.emu.remove_channel(channel)
        self.emu.log.add(f"bot deleted {channel.label}")
        return Reply(body=payload)

    # ------------------------------------------------------------------ messages
    def _check_can_send(self, channel: Channel, body: JSON, uploads: int) -> None:
        if channel.is_dm:
            recipient = channel.recipient
            if recipient is None or recipient.dms_closed or recipient.bot:
                raise ApiError(403, CANNOT_SEND_TO_USER, "Cannot send messages to this user")
            return
        need = P.SEND_MESSAGES_IN_THREADS if channel.is_thread else P.SEND_MESSAGES
        bits = self.require(channel, need)
        if uploads and not bits & P.ATTACH_FILES:
            raise missing_permissions()
        if body.get("embeds") and not bits & P.EMBED_LINKS:
            raise missing_permissions()
        if channel.is_thread:
            if channel.locked and not bits & P.MANAGE_THREADS:
                raise missing_permissions()
            if channel.archived:
                channel.archived = False
                self.emu.events.thread_update(channel)

    async def send_message(self, ctx: Ctx) -> Reply:
        channel = self.channel(ctx, view=False)
        body = ctx.body()
        check_message_body(
            body, file_count=len(ctx.uploads), file_sizes=[len(u.data) for u in ctx.uploads]
        )
        self._check_can_send(channel, body, len(ctx.uploads))
        body = {**body, "flags": int(body.get("flags") or 0) & ~(1 << 6)}
        msg = self.state.create_message(channel, self.bot, body, ctx.uploads)
        self.emu.log_bot_message(msg)
        self.emu.events.message_create(msg)
        return Reply(body=msg.payload())

    async def history(self, ctx: Ctx) -> Reply:
        channel = self.channel(ctx)
        if channel.guild is not None:
            self.require(channel, P.READ_MESSAGE_HISTORY)
        limit = max(1, min(100, int(ctx.query.get("limit", "50"))))
        msgs = self.state.history(channel)
        if "before" in ctx.query:
            msgs = [m for m in msgs if m.id < int(ctx.query["before"])]
        if "after" in ctx.query:
            after = int(ctx.query["after"])
            msgs = [m for m in msgs if m.id > after][:limit]
        if "around" in ctx.query:
            around = int(ctx.query["around"])
            older = [m for m in msgs if m.id <= around][-(limit // 2 + 1) :]
            newer = [m for m in msgs if m.id > around][: limit // 2]
            msgs = older + newer
        picked = msgs[-limit:]
        return Reply(body=[m.payload() for m in reversed(picked)])

    def _message(self, ctx: Ctx, channel: Channel) -> Message:
        return self.state.get_message(channel, ctx.snowflake("message_id"))

    async def get_message(self, ctx: Ctx) -> Reply:
        channel = self.channel(ctx)
        if channel.guild is not None:
            self.require(channel, P.READ_MESSAGE_HISTORY)
        return Reply(body=self._message(ctx, channel).payload())

    async def edit_message(self, ctx: Ctx) -> Reply:
        channel = self.channel(ctx)
        msg = self._message(ctx, channel)
        if msg.author.id != self.bot.id:
            raise ApiError(
                403, CANNOT_EDIT_OTHERS_MESSAGE, "Cannot edit a message authored by another user"
            )
        body = ctx.body()
        check_message_body(body, file_count=len(ctx.uploads), editing=True)
        self.state.edit_message(msg, body, ctx.uploads)
        self.emu.log_bot_message(msg, verb="edited →")
        self.emu.events.message_update(msg)
        return Reply(body=msg.payload())

    async def delete_message(self, ctx: Ctx) -> Reply:
        channel = self.channel(ctx)
        msg = self._message(ctx, channel)
        if msg.author.id != self.bot.id:
            self.require(channel, P.MANAGE_MESSAGES)
        msg.deleted = True
        self.emu.log.add(f"bot deleted a message in {channel.label}: {message_summary(msg)}")
        self.emu.events.message_delete(msg)
        return Reply.no_content()

    async def typing(self, ctx: Ctx) -> Reply:
        self.channel(ctx)
        return Reply.no_content()

    async def pin(self, ctx: Ctx) -> Reply:
        channel = self.channel(ctx)
        self.require(channel, P.MANAGE_MESSAGES)
        self._message(ctx, channel).pinned = ctx.method == "PUT"
        return Reply.no_content()

    async def unpin(self, ctx: Ctx) -> Reply:
        return await self.pin(ctx)

    async def react(self, ctx: Ctx) -> Reply:
        channel = self.channel(ctx)
        self.require(channel, P.ADD_REACTIONS, P.READ_MESSAGE_HISTORY)
        self._message(ctx, channel)
        return Reply.no_content()

    # ------------------------------------------------------------------ threads
    def _thread_body(self, body: JSON) -> tuple[str, int]:
        errs = FormErrors()
        errs.length_between(("name",), body.get("name"), 1, 100)
        duration = body.get("auto_archive_duration") or 1440
        if duration not in ARCHIVE_DURATIONS:
            errs.add(
                ("auto_archive_duration",),
                "BASE_TYPE_CHOICES",
                "Value must be one of {60, 1440, 4320, 10080}.",
            )
        errs.raise_if_any()
        return str(body["name"]), int(duration)

    def _announce_thread(self, thread: Channel, parent: Channel) -> None:
        data = thread.payload()
        data["newly_created"] = True
        data["member"] = thread.thread_member_payload(self.bot.id)
        self.emu.dispatch("THREAD_CREATE", data, guild_id=thread.guild_id)
        self.emu.events.thread_members_update(thread, added=[self.bot.id])
        kind = {10: "announcement thread", 11: "public thread", 12: "private thread"}[thread.type]
        self.emu.log.add(f"bot created {kind} '{thread.name}' in {parent.label}")

    def _thread_reply(self, thread: Channel) -> Reply:
        data = thread.payload()
        data["member"] = thread.thread_member_payload(self.bot.id)
        return Reply(201, data)

    async def thread_from_message(self, ctx: Ctx) -> Reply:
        parent = self.channel(ctx)
        if parent.type not in (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT):
            raise ApiError(400, INVALID_CHANNEL_TYPE, "Cannot execute action on this channel type")
        self.require(parent, P.CREATE_PUBLIC_THREADS, P.READ_MESSAGE_HISTORY)
        msg = self._message(ctx, parent)
        if msg.thread is not None and not msg.thread.deleted:
            raise ApiError(
                400, THREAD_ALREADY_CREATED, "A thread has already been created for this message"
            )
        name, duration = self._thread_body(ctx.body())
        ttype = 10 if parent.type == ChannelType.GUILD_ANNOUNCEMENT else 11
        thread = self.state.new_thread(
            parent,
            name=name,
            ttype=ttype,
            owner=self.bot,
            auto_archive_duration=duration,
            invitable=True,
            thread_id=msg.id,
        )
        msg.thread = thread
        self._announce_thread(thread, parent)
        return self._thread_reply(thread)

    async def thread_without_message(self, ctx: Ctx) -> Reply:
        parent = self.channel(ctx)
        body = ctx.body()
        ttype = int(body.get("type") or ChannelType.PRIVATE_THREAD)
        if parent.type == ChannelType.GUILD_TEXT:
            valid = ttype in (11, 12)
        elif parent.type == ChannelType.GUILD_ANNOUNCEMENT:
            valid = ttype in (10, 11)
            ttype = 10
        else:
            valid = False
        if not valid:
            raise ApiError(400, INVALID_CHANNEL_TYPE, "Cannot execute action on this channel type")
        need = P.CREATE_PRIVATE_THREADS if ttype == 12 else P.CREATE_PUBLIC_THREADS
        self.require(parent, need)
        name, duration = self._thread_body(body)
        thread = self.state.new_thread(
            parent,
            name=name,
            ttype=ttype,
            owner=self.bot,
            auto_archive_duration=duration,
            invitable=bool(body.get("invitable", True)),
        )
        self._announce_thread(thread, parent)
        return self._thread_reply(thread)

    def _thread(self, ctx: Ctx) -> Channel:
        channel = self.channel(ctx)
        if not channel.is_thread:
            raise ApiError(400, INVALID_CHANNEL_TYPE, "Cannot execute action on this channel type")
        return channel

    async def thread_members(self, ctx: Ctx) -> Reply:
        thread = self._thread(ctx)
        return Reply(body=[thread.thread_member_payload(u) for u in thread.thread_members])

    async def thread_member(self, ctx: Ctx) -> Reply:
        thread = self._thread(ctx)
        user = self.user_param(ctx)
        if user.id not in thread.thread_members:
            raise unknown("Member", UNKNOWN_MEMBER)
        return Reply(body=thread.thread_member_payload(user.id))

    async def add_thread_member(self, ctx: Ctx) -> Reply:
        thread = self._thread(ctx)
        user = self.user_param(ctx)
        assert thread.guild is not None
        self.member_of(thread.guild, user)
        if thread.archived:
            raise ApiError(400, THREAD_ARCHIVED, "Thread is archived")
        bits = self.require(thread)
        if user.id != self.bot.id:
            if not bits & P.SEND_MESSAGES_IN_THREADS:
                raise missing_permissions()
            if thread.is_private_thread and not thread.invitable and not bits & P.MANAGE_THREADS:
                raise missing_permissions()
        if user.id not in thread.thread_members:
            thread.thread_members[user.id] = iso_now()
            self.emu.events.thread_members_update(thread, added=[user.id])
            who = "itself" if user.id == self.bot.id else user.username
            self.emu.log.add(f"bot added {who} to {thread.label}")
        return Reply.no_content()

    async def remove_thread_member(self, ctx: Ctx) -> Reply:
        thread = self._thread(ctx)
        user = self.user_param(ctx)
        if thread.archived:
            raise ApiError(400, THREAD_ARCHIVED, "Thread is archived")
        bits = self.require(thread)
        if user.id != self.bot.id and not (
            bits & P.MANAGE_THREADS or thread.owner_id == self.bot.id
        ):
            raise missing_permissions()
        if thread.thread_members.pop(user.id, None) is not None:
            self.emu.events.thread_members_update(thread, removed=[user.id])
            self.emu.log.add(f"bot removed {user.username} from {thread.label}")
        return Reply.no_content()

    async def archived_threads(self, ctx: Ctx) -> Reply:
        parent = self.channel(ctx)
        private = ctx.path.endswith("/private")
        threads = [
            t for t in self.emu.threads(parent) if t.archived and t.is_private_thread == private
        ]
        return Reply(
            body={"threads": [t.payload() for t in threads], "members": [], "has_more": False}
        )

    async def active_threads(self, ctx: Ctx) -> Reply:
        guild = self.guild(ctx)
        bot_member = guild.members[self.bot.id]
        threads = [
            t.payload()
            for t in guild.threads.values()
            if not t.archived and not t.deleted and channel_permissions(bot_member, t)
        ]
        return Reply(body={"threads": threads, "members": []})

    # ------------------------------------------------------------------ guilds
    async def get_guild(self, ctx: Ctx) -> Reply:
        guild = self.guild(ctx)
        data = guild.payload()
        if ctx.flag("with_counts"):
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return Reply(body=data)

    async def guild_channels(self, ctx: Ctx) -> Reply:
        guild = self.guild(ctx)
        return Reply(body=[c.payload() for c in guild.channels.values() if not c.deleted])

    async def guild_roles(self, ctx: Ctx) -> Reply:
        guild = self.guild(ctx)
        return Reply(body=[r.payload() for r in guild.roles.values()])

    async def guild_members(self, ctx: Ctx) -> Reply:
        guild = self.guild(ctx)
        limit = max(1, min(1000, int(ctx.query.get("limit", "1"))))
        after = int(ctx.query.get("after", "0"))
        members = sorted((m for m in guild.members.values() if m.id > after), key=lambda m: m.id)
        return Reply(body=[m.payload() for m in members[:limit]])

    async def guild_member(self, ctx: Ctx) -> Reply:
        guild = self.guild(ctx)
        return Reply(body=self.member_param(guild, ctx).payload())

    def _role_change(self, ctx: Ctx) -> tuple[Guild, Member, int]:
        guild = self.guild(ctx)
        member = self.member_param(guild, ctx)
        role = guild.roles.get(ctx.snowflake("role_id"))
        if role is None:
            raise unknown("Role", UNKNOWN_ROLE)
        bot_member = guild.members[self.bot.id]
        if not base_permissions(guild, bot_member) & P.MANAGE_ROLES:
            raise missing_permissions()
        top = max(
            (guild.roles[r].position for r in bot_member.role_ids if r in guild.roles), default=0
        )
        if role.managed or role.is_everyone or role.position >= top:
            raise missing_permissions()
        return guild, member, role.id

    async def add_role(self, ctx: Ctx) -> Reply:
        guild, member, role_id = self._role_change(ctx)
        if role_id not in member.role_ids:
            member.role_ids.append(role_id)
            self.emu.dispatch_member_update(member)
            self.emu.log.add(f"bot gave {member.name} the role @{guild.roles[role_id].name}")
        return Reply.no_content()

    async def remove_role(self, ctx: Ctx) -> Reply:
        guild, member, role_id = self._role_change(ctx)
        if role_id in member.role_ids:
            member.role_ids.remove(role_id)
            self.emu.dispatch_member_update(member)
            self.emu.log.add(f"bot took the role @{guild.roles[role_id].name} from {member.name}")
        return Reply.no_content()
