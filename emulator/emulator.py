"""The :class:`DiscordEmulator`: world building, gateway events, member actions, records."""

# The public API takes ``timeout`` arguments on purpose (tests read better that way).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import secrets
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any

from aiohttp import web

from . import callbacks, rest
from .errors import EmulatorError, InteractionTimeout, InvalidInvocation
from .events import Events
from .gateway import INTENT_GUILD_MEMBERS, Gateway, GatewayHooks, GatewaySession
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionRecord,
    ResolvedBuilder,
    build_command_data,
    component_data,
    find_command,
    interaction_payload,
    modal_submit_components,
)
from .models import Attachment, Channel, ChannelType, Guild, Member, Message, Role, User
from .oauth import OAuth2
from .permissions import Permission, channel_permissions, to_bits
from .ratelimit import FaultInjector, GlobalLimiter, RouteLimiter
from .server import API_PREFIX, ApiServer, Ctx, RecordedRequest, Router, json_response
from .snowflake import iso_now
from .state import EmulatorState
from .transcript import Transcript, message_details, message_summary
from .waiting import WAIT_SECONDS

JSON = dict[str, Any]
MENTION = re.compile(r"<(#|@&|@!?|t:)(\d+)(?::[tTdDfFR])?>")
# Time for a client on the same event loop to read and apply events written to its socket.
FLUSH_SETTLE_SECONDS = 0.02
PermissionSpec = Iterable[int | str] | int


class DiscordEmulator:
    """A Discord REST + gateway emulator on 127.0.0.1 for driving the real discord.py client.

    See the package docstring (``emulator``) for the whole public API.
    """

    def __init__(
        self,
        *,
        callback_deadline: float = 3.0,
        global_rate_limit: int | None = None,
        route_rate_limit: int = 1000,
        shard_count: int = 1,
        application_id: int | None = None,
        bot_name: str = "Interview Prep",
        host: str = "127.0.0.1",
        port: int = 0,
        response_timeout: float = WAIT_SECONDS,
        heartbeat_interval_ms: int = 41_250,
    ) -> None:
        self.callback_deadline = callback_deadline
        self.response_timeout = response_timeout
        self.shard_count = shard_count
        self.host = host
        self._port = port
        self.state = EmulatorState(
            application_id=application_id, bot_name=bot_name, base_url=lambda: self.base_url
        )
        self.log = Transcript(humanize=self._humanize)
        self.interactions: list[InteractionRecord] = []
        self._by_id: dict[int, InteractionRecord] = {}
        self._by_token: dict[str, InteractionRecord] = {}
        self._faults = FaultInjector()
        self._router = Router()
        rest.register(self, self._router)
        callbacks.register(self, self._router)
        self._api = ApiServer(
            self._router,
            route_limiter=RouteLimiter(route_rate_limit),
            global_limiter=GlobalLimiter(global_rate_limit) if global_rate_limit else None,
            faults=self._faults,
            on_error=self._on_api_error,
        )
        self._gateway = Gateway(
            GatewayHooks(
                ready_payload=lambda session: self.events.ready_payload(session),
                guild_creates=lambda session: self.events.guild_creates(session),
                member_chunk=lambda session, data: self.events.member_chunk(session, data),
                on_identify=self._on_identify,
            ),
            heartbeat_interval_ms=heartbeat_interval_ms,
        )
        self._api.on_request = lambda _record: self._touch()
        self._changed = asyncio.Event()
        self.events: Events = Events(self.state, self._gateway, lambda: self.gateway_url)
        # The OAuth2 flow of "Log in with Discord" (the web companion).
        self.oauth = OAuth2(self.state, self.state.application_id)
        self._runner: web.AppRunner | None = None

    # ================================================================== lifecycle
    async def start(self) -> DiscordEmulator:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/gateway", self._gateway.handle)
        app.router.add_route("GET", "/gateway/", self._gateway.handle)
        app.router.add_route(
            "GET", "/", self._gateway.handle
        )  # DISCORD_GATEWAY_URL=ws://host:port/
        app.router.add_route(
            "GET", "/attachments/{channel_id}/{attachment_id}/{filename}", self._serve_attachment
        )
        self.oauth.routes(app, API_PREFIX, self._api)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._api.handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._port))
        self._port = sock.getsockname()[1]
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        await self._gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordEmulator:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ================================================================== properties
    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self._port}"

    @property
    def api_base_url(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self._port}/gateway/"

    @property
    def application_id(self) -> int:
        return self.state.application_id

    @property
    def bot_user(self) -> User:
        return self.state.bot_user

    @property
    def requests(self) -> list[RecordedRequest]:
        return self._api.requests

    @property
    def stats(self) -> dict[str, int]:
        stats = dict(self._api.stats)
        stats["identifies"] = self._gateway.identifies
        stats["resumes"] = self._gateway.resumes
        stats["interactions"] = len(self.interactions)
        return stats

    @property
    def transcript(self) -> list[str]:
        return self.log.lines()

    def render_transcript(self, *, width: int = 100, timestamps: bool = False) -> str:
        return self.log.render(width=width, timestamps=timestamps)

    @property
    def sessions(self) -> list[GatewaySession]:
        return self._gateway.active_sessions()

    @property
    def internal_errors(self) -> list[Exception]:
        """Exceptions inside the emulator's own handlers (answered as 400 "Emulator internal
        error"); a test can assert this is empty."""
        return list(self._api.internal_errors)

    @property
    def tokens_seen(self) -> set[str]:
        return set(self._api.tokens_seen)

    # ================================================================== world building
    def add_guild(
        self, name: str, *, locale: str = "en-US", bot_permissions: int | None = None
    ) -> Guild:
        guild = self.state.new_guild(name, locale=locale, bot_permissions=bot_permissions)
        self._gateway.dispatch(
            "GUILD_CREATE",
            lambda s: self.events.guild_create(guild, s, joined=True),
            guild_id=guild.id,
        )
        return guild

    def _add_channel(
        self,
        guild: Guild,
        ctype: int,
        name: str,
        category: Channel | None = None,
        topic: str | None = None,
    ) -> Channel:
        channel = self.state.new_channel(guild, ctype, name, parent=category, topic=topic)
        self._gateway.dispatch("CHANNEL_CREATE", channel.payload(), guild_id=guild.id)
        return channel

    def add_text_channel(
        self, guild: Guild, name: str, *, category: Channel | None = None, topic: str | None = None
    ) -> Channel:
        return self._add_channel(guild, ChannelType.GUILD_TEXT, name, category, topic)

    def add_announcement_channel(
        self, guild: Guild, name: str, *, category: Channel | None = None
    ) -> Channel:
        return self._add_channel(guild, ChannelType.GUILD_ANNOUNCEMENT, name, category)

    def add_voice_channel(
        self, guild: Guild, name: str, *, category: Channel | None = None
    ) -> Channel:
        return self._add_channel(guild, ChannelType.GUILD_VOICE, name, category)

    def add_category(self, guild: Guild, name: str) -> Channel:
        return self._add_channel(guild, ChannelType.GUILD_CATEGORY, name)

    def add_role(
        self,
        guild: Guild,
        name: str,
        *,
        permissions: PermissionSpec = 0,
        mentionable: bool = False,
        color: int = 0,
        hoist: bool = False,
    ) -> Role:
        role = self.state.new_role(
            guild,
            name,
            permissions=to_bits(permissions),
            mentionable=mentionable,
            color=color,
            hoist=hoist,
        )
        self._dispatch_role_create(role)
        return role

    def _dispatch_role_create(self, role: Role) -> None:
        self._gateway.dispatch(
            "GUILD_ROLE_CREATE",
            {"guild_id": str(role.guild_id), "role": role.payload()},
            guild_id=role.guild_id,
        )

    def add_member(
        self,
        guild: Guild,
        name: str,
        *,
        manage_guild: bool = False,
        permissions: PermissionSpec | None = None,
        roles: Iterable[Role] = (),
        bot: bool = False,
        nick: str | None = None,
        user: User | None = None,
    ) -> Member:
        """Add a member. ``manage_guild=True`` gives a "Moderators" role with MANAGE_GUILD;
        ``permissions`` (a bitfield or names) gives a personal role with exactly those bits."""
        member, created = self.state.new_member(
            guild,
            name,
            manage_guild=manage_guild,
            permissions=None if permissions is None else to_bits(permissions),
            roles=list(roles),
            bot=bot,
            nick=nick,
            user=user,
        )
        for role in created:
            self._dispatch_role_create(role)
        data = member.payload()
        data["guild_id"] = str(guild.id)
        self._gateway.dispatch(
            "GUILD_MEMBER_ADD", data, guild_id=guild.id, intent=INTENT_GUILD_MEMBERS
        )
        return member

    def give_role(self, member: Member, role: Role) -> None:
        if role.id not in member.role_ids:
            member.role_ids.append(role.id)
            self.dispatch_member_update(member)

    def dispatch_member_update(self, member: Member) -> None:
        data = member.payload()
        data["guild_id"] = str(member.guild.id)
        self._gateway.dispatch(
            "GUILD_MEMBER_UPDATE", data, guild_id=member.guild.id, intent=INTENT_GUILD_MEMBERS
        )

    def dm_channel(self, who: Member | User) -> Channel:
        """The DM channel between the bot and this user (created on first use)."""
        return self.state.dm_channel(_user_of(who))

    def close_dms(self, who: Member | User) -> None:
        """The user stops accepting DMs: the bot's DMs to them fail with 403 code 50007."""
        _user_of(who).dms_closed = True

    def open_dms(self, who: Member | User) -> None:
        _user_of(who).dms_closed = False

    def set_channel_permissions(
        self,
        channel: Channel,
        target: Role | Member | User,
        *,
        allow: PermissionSpec = (),
        deny: PermissionSpec = (),
    ) -> None:
        """Add a permission overwrite (role or member) on a guild channel (CHANNEL_UPDATE sent)."""
        if channel.guild is None or channel.is_thread:
            raise EmulatorError("overwrites live on guild channels (threads use their parent)")
        if isinstance(target, Role):
            self.state.set_overwrite(channel, target.id, 0, to_bits(allow), to_bits(deny))
        else:
            uid = _user_of(target).id
            self.state.set_overwrite(channel, uid, 1, to_bits(allow), to_bits(deny))
        self._gateway.dispatch("CHANNEL_UPDATE", channel.payload(), guild_id=channel.guild.id)

    def set_bot_channel_permissions(
        self, channel: Channel, *, deny: PermissionSpec = (), allow: PermissionSpec = ()
    ) -> None:
        """E.g. ``deny=["SEND_MESSAGES"]`` (names, :class:`Permission` or bits)."""
        self.set_channel_permissions(channel, self.bot_user, allow=allow, deny=deny)

    def bot_permissions(self, channel: Channel) -> int:
        return self.state.bot_permissions(channel)

    async def delete_channel(self, channel: Channel) -> None:
        """Delete a channel or thread as a member would (CHANNEL_DELETE / THREAD_DELETE)."""
        self.remove_channel(channel)
        self.log.add(f"{channel.label} was deleted")
        await self.flush()

    def remove_channel(self, channel: Channel) -> None:
        guild = channel.guild
        if guild is None:
            raise EmulatorError("cannot delete a DM channel")
        channel.deleted = True
        if channel.is_thread:
            guild.threads.pop(channel.id, None)
            self._gateway.dispatch(
                "THREAD_DELETE",
                {
                    "id": str(channel.id),
                    "guild_id": str(guild.id),
                    "parent_id": str(channel.parent_id),
                    "type": channel.type,
                },
                guild_id=guild.id,
            )
        else:
            guild.channels.pop(channel.id, None)
            for thread in list(guild.threads.values()):
                if thread.parent_id == channel.id:
                    thread.deleted = True
                    guild.threads.pop(thread.id, None)
            self._gateway.dispatch("CHANNEL_DELETE", channel.payload(), guild_id=guild.id)

    async def remove_guild(self, guild: Guild) -> None:
        """The bot is removed from the guild (GUILD_DELETE)."""
        guild.removed = True
        self._gateway.dispatch("GUILD_DELETE", {"id": str(guild.id)}, guild_id=guild.id)
        self.log.add(f"bot was removed from guild {guild.name!r}")
        await self.flush()

    # ================================================================== gateway
    async def wait_until_ready(self, timeout: float = WAIT_SECONDS) -> None:
        """Wait until every shard identified and its READY + GUILD_CREATEs were written."""
        await self._gateway.wait_for(self._gateway.all_shards_ready, timeout, "IDENTIFY")
        await self._gateway.drain(timeout)

    async def force_reconnect(self, *, wait: bool = True, timeout: float = WAIT_SECONDS) -> None:
        """Send op 7 RECONNECT; with ``wait``, return once every session resumed."""
        before = self._gateway.resumes + self._gateway.identifies
        sessions = await self._gateway.reconnect_all()
        if not sessions:
            raise EmulatorError("no connected gateway session to reconnect")
        self.log.add("gateway asked the bot to reconnect (op 7)")
        if wait:
            await self._gateway.wait_for(
                lambda: (
                    self._gateway.resumes + self._gateway.identifies >= before + len(sessions)
                    and all(s.connected for s in self._gateway.active_sessions())
                ),
                timeout,
                "RESUME after RECONNECT",
            )
            await self._gateway.drain(timeout)

    async def flush(self, timeout: float = WAIT_SECONDS) -> None:
        """Wait until every queued gateway event was written to the bot, then give the client
        (on the same loop) a moment to read and apply it."""
        await self._gateway.drain(timeout)
        await asyncio.sleep(FLUSH_SETTLE_SECONDS)

    def count(self, stat: str) -> None:
        self._api.stats[stat] += 1

    def dispatch(
        self, event: str, data: JSON, *, guild_id: int | None = None, intent: int | None = None
    ) -> None:
        """Send a raw gateway event (for cases the helpers do not cover)."""
        self._gateway.dispatch(event, data, guild_id=guild_id, intent=intent)

    def _on_identify(self, session: GatewaySession, data: JSON) -> None:
        shards = (
            f" shard {session.shard_id}/{session.shard_count}" if session.shard_count > 1 else ""
        )
        self.log.add(f"bot connected to the gateway{shards}")

    # ------------------------------------------------------------------ transcript helpers
    def log_bot_message(self, msg: Message, *, verb: str = "→", prefix: str = "bot") -> None:
        if msg.ephemeral:
            viewer = self.state.users.get(msg.visible_to or 0)
            where = f"{viewer.username if viewer else '?'} (ephemeral)"
        else:
            where = msg.channel.label
        self.log.add(f"{prefix} {verb} {where}: {message_summary(msg)}", message_details(msg))

    def _humanize(self, text: str) -> str:
        """Make mentions and timestamps in transcript text readable."""
        if "<" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            kind, ident = match.group(1), match.group(2)
            if kind == "#":
                channel = self.state.channels.get(int(ident))
                return channel.label if channel is not None else match.group(0)
            if kind == "@&":
                for guild in self.state.guilds.values():
                    if int(ident) in guild.roles:
                        return f"@{guild.roles[int(ident)].name}"
                return match.group(0)
            if kind == "t:":
                moment = dt.datetime.fromtimestamp(int(ident), dt.UTC)
                return moment.strftime("%Y-%m-%d %H:%M UTC")
            user = self.state.users.get(int(ident))
            return f"@{user.username}" if user is not None else match.group(0)

        return MENTION.sub(replace, text)

    def _on_api_error(self, ctx: Ctx | None, method: str, path: str, err: Any) -> None:
        if err.status in (404, 405) and err.code == 0:
            self.log.add(f"bot called an unknown route: {method} {path} -> {err.status}")
        elif err.status not in (401,):
            self.log.add(f"bot's {method} {path} failed: {err.status} {err.code} {err.message}")

    # ================================================================== members act
    def _invoker(
        self, who: Member | User, channel: Channel, *, command: bool = False
    ) -> tuple[User, Member | None]:
        if channel.deleted:
            raise InvalidInvocation(f"{channel.label} was deleted")
        guild = channel.guild
        if guild is None:
            user = _user_of(who)
            if channel.recipient is not user:
                raise InvalidInvocation(f"{user.username} is not in {channel.label}")
            return user, None
        if guild.removed:
            raise InvalidInvocation(f"the bot is not in guild {guild.name!r} any more")
        user = _user_of(who)
        member = guild.members.get(user.id)
        if member is None:
            raise InvalidInvocation(f"{user.username} is not a member of {guild.name!r}")
        perms = channel_permissions(member, channel)
        if not perms & Permission.VIEW_CHANNEL:
            raise InvalidInvocation(f"{user.username} cannot see {channel.label}")
        if command and not perms & Permission.USE_APPLICATION_COMMANDS:
            raise InvalidInvocation(f"{user.username} cannot use commands in {channel.label}")
        return user, member

    def _new_interaction(
        self,
        itype: int,
        user: User,
        member: Member | None,
        channel: Channel,
        data: JSON,
        name: str,
        *,
        locale: str,
        message: Message | None = None,
        opened_by: InteractionRecord | None = None,
    ) -> InteractionRecord:
        interaction_id = self.state.ids.next()
        token = "emu." + secrets.token_urlsafe(40)
        payload = interaction_payload(
            self.state,
            interaction_id=interaction_id,
            token=token,
            itype=itype,
            user=user,
            channel=channel,
            data=data,
            locale=locale,
            message=message,
        )
        rec = InteractionRecord(
            id=interaction_id,
            token=token,
            type=itype,
            user=user,
            member=member,
            channel=channel,
            payload=payload,
            name=name,
            source_message=message,
            opened_by=opened_by,
        )
        self.interactions.append(rec)
        self._by_id[rec.id] = rec
        self._by_token[rec.token] = rec
        return rec

    async def _require_connection(self, guild_id: int | None, timeout: float = 2.0) -> None:
        """A bot session must be connected for this guild's shard (waits out a RESUME)."""

        def connected() -> bool:
            session = self._gateway.session_for(guild_id)
            return session is not None and session.connected

        try:
            await self._gateway.wait_for(connected, timeout, "a connected bot")
        except TimeoutError:
            raise EmulatorError(
                "no bot is connected to the gateway (for this guild's shard)"
            ) from None

    def _send_interaction(self, rec: InteractionRecord) -> None:
        rec.created_at = time.monotonic()
        rec.dispatched_at = time.perf_counter()
        self._gateway.dispatch("INTERACTION_CREATE", rec.payload, guild_id=rec.channel.guild_id)

    async def _await_response(
        self, rec: InteractionRecord, wait: bool, timeout: float | None
    ) -> InteractionRecord:
        if not wait:
            return rec
        try:
            await rec.wait_for_response(self.response_timeout if timeout is None else timeout)
        except InteractionTimeout:
            tail = "\n".join(self.transcript[-8:])
            raise InteractionTimeout(
                f"the bot did not answer {rec.describe()} in time; recent transcript:\n{tail}"
            ) from None
        return rec

    async def slash(
        self,
        member: Member | User,
        channel: Channel,
        name: str,
        /,
        *,
        options: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        wait: bool = True,
        locale: str = "en-US",
        ignore_default_permissions: bool = False,
        **values: Any,
    ) -> InteractionRecord:
        """Invoke ``/name`` ("cmd", "cmd sub" or "cmd group sub") with option values.

        Values: str/int/float/bool, or emulator objects for channel/user/role/mentionable/
        attachment options. ``options`` takes names that are not Python identifiers or that
        collide with this method's own keywords (options, timeout, wait, locale, ...).
        """
        user, guild_member = self._invoker(member, channel, command=True)
        guild = channel.guild
        resolved = find_command(
            self.state,
            guild,
            name,
            member=None if ignore_default_permissions else guild_member,
        )
        merged = {**(options or {}), **values}
        data, display = build_command_data(self.state, resolved, merged, guild=guild, invoker=user)
        await self._require_connection(channel.guild_id)
        rec = self._new_interaction(
            APPLICATION_COMMAND, user, guild_member, channel, data, display, locale=locale
        )
        where = f" in {channel.label}" if channel.is_thread or channel.is_dm else ""
        self.log.add(f"{user.username} used {display}{where}")
        self._send_interaction(rec)
        return await self._await_response(rec, wait, timeout)

    async def autocomplete(
        self,
        member: Member | User,
        channel: Channel,
        name: str,
        /,
        *,
        focused: str,
        options: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        locale: str = "en-US",
        **values: Any,
    ) -> list[JSON]:
        """Type into an autocomplete option; returns the choices the bot offered."""
        user, guild_member = self._invoker(member, channel, command=True)
        resolved = find_command(self.state, channel.guild, name, member=None)
        merged = {**(options or {}), **values}
        data, display = build_command_data(
            self.state, resolved, merged, guild=channel.guild, invoker=user, focused=focused
        )
        await self._require_connection(channel.guild_id)
        rec = self._new_interaction(
            AUTOCOMPLETE, user, guild_member, channel, data, display, locale=locale
        )
        self._send_interaction(rec)
        await self._await_response(rec, True, timeout)
        if rec.choices is None:
            raise EmulatorError(f"autocomplete for {display} failed: {rec.rejected}")
        shown = ", ".join(str(c.get("name")) for c in rec.choices[:5])
        more = "…" if len(rec.choices) > 5 else ""
        self.log.add(
            f"{user.username} typed {focused}:{merged.get(focused)!s} in /{' '.join(resolved.path)}"
            f" → {len(rec.choices)} suggestion(s): {shown}{more}"
        )
        return rec.choices

    def _component_target(
        self, who: Member | User, message: Message
    ) -> tuple[User, Member | None, Message]:
        current = self.state.messages_by_id.get(message.id)
        if current is None or current.deleted:
            raise InvalidInvocation(f"message {message.id} does not exist (deleted?)")
        user, guild_member = self._invoker(who, current.channel)
        if current.ephemeral and current.visible_to != user.id:
            raise InvalidInvocation(f"{user.username} cannot see that ephemeral message")
        return user, guild_member, current

    async def click(
        self,
        member: Member | User,
        message: Message,
        custom_id: str | None = None,
        *,
        label: str | None = None,
        timeout: float | None = None,
        wait: bool = True,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """Press a button on a message (by ``custom_id`` or by ``label``)."""
        user, guild_member, msg = self._component_target(member, message)
        if custom_id is None:
            if label is None:
                raise EmulatorError("click() needs a custom_id or a label")
            button = msg.find_button(label)
            if button is None or not button.get("custom_id"):
                labels = [b.get("label") for b in msg.buttons]
                raise InvalidInvocation(f"no clickable button {label!r} on the message ({labels})")
            custom_id = str(button["custom_id"])
        resolved = ResolvedBuilder(self.state, msg.channel.guild, user)
        data, comp = component_data(msg, custom_id, None, resolved)
        shown = str(comp.get("label") or custom_id)
        await self._require_connection(msg.channel.guild_id)
        rec = self._new_interaction(
            MESSAGE_COMPONENT,
            user,
            guild_member,
            msg.channel,
            data,
            f"[{shown}]",
            locale=locale,
            message=msg,
        )
        self.log.add(f"{user.username} pressed [{shown}]")
        self._send_interaction(rec)
        return await self._await_response(rec, wait, timeout)

    async def select(
        self,
        member: Member | User,
        message: Message,
        custom_id: str,
        values: list[Any],
        *,
        timeout: float | None = None,
        wait: bool = True,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """Choose values in a select menu on a message (strings, or users/roles/channels)."""
        user, guild_member, msg = self._component_target(member, message)
        resolved = ResolvedBuilder(self.state, msg.channel.guild, user)
        data, comp = component_data(msg, custom_id, list(values), resolved)
        placeholder = comp.get("placeholder") or custom_id
        await self._require_connection(msg.channel.guild_id)
        rec = self._new_interaction(
            MESSAGE_COMPONENT,
            user,
            guild_member,
            msg.channel,
            data,
            f"[▾ {placeholder}]",
            locale=locale,
            message=msg,
        )
        chosen = ", ".join(str(getattr(v, "name", v)) for v in values)
        self.log.add(f"{user.username} chose {chosen} in [▾ {placeholder}]")
        self._send_interaction(rec)
        return await self._await_response(rec, wait, timeout)

    async def submit_modal(
        self,
        member: Member | User,
        opened_by: InteractionRecord,
        values: Mapping[str, Any],
        *,
        timeout: float | None = None,
        wait: bool = True,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """Submit the modal the bot opened in answer to ``opened_by``; ``values`` by custom_id."""
        modal = opened_by.modal
        if modal is None:
            raise InvalidInvocation(f"{opened_by.describe()} did not open a modal")
        if opened_by.modal_submitted:
            raise InvalidInvocation(f"modal {modal.title!r} was already submitted (it closes)")
        user, guild_member = self._invoker(member, opened_by.channel)
        if user is not opened_by.user:
            raise InvalidInvocation(f"only {opened_by.user.username} sees that modal")
        components = modal_submit_components(modal, values)
        data: JSON = {"custom_id": modal.custom_id, "components": components}
        source = opened_by.source_message
        await self._require_connection(opened_by.channel.guild_id)
        rec = self._new_interaction(
            MODAL_SUBMIT,
            user,
            guild_member,
            opened_by.channel,
            data,
            f"modal '{modal.title}'",
            locale=locale,
            message=source,
            opened_by=opened_by,
        )
        opened_by.modal_submitted = True
        chars = sum(len(v) for v in values.values() if isinstance(v, str))
        self.log.add(f"{user.username} submitted modal '{modal.title}' ({chars} chars)")
        self._send_interaction(rec)
        return await self._await_response(rec, wait, timeout)

    def make_attachment(
        self, filename: str, data: bytes | str, content_type: str | None = None
    ) -> Attachment:
        """A file a member uploads for an attachment option (served over HTTP from here)."""
        raw = data.encode() if isinstance(data, str) else data
        return self.state.new_attachment(0, filename, raw, content_type, ephemeral=True)

    async def post_message(
        self,
        member: Member | User,
        channel: Channel,
        content: str,
        *,
        reply_to: Message | None = None,
    ) -> Message:
        """A member sends a plain message (MESSAGE_CREATE, mentions parsed from the content)."""
        user, guild_member = self._invoker(member, channel)
        if guild_member is not None:
            perms = channel_permissions(guild_member, channel)
            need = (
                Permission.SEND_MESSAGES_IN_THREADS
                if channel.is_thread
                else Permission.SEND_MESSAGES
            )
            if not perms & need:
                raise InvalidInvocation(f"{user.username} cannot send messages in {channel.label}")
            if channel.is_thread:
                if channel.locked and not perms & Permission.MANAGE_THREADS:
                    raise InvalidInvocation(f"{channel.label} is locked")
                if channel.archived:
                    channel.archived = False
                    self.events.thread_update(channel)
                if user.id not in channel.thread_members:
                    channel.thread_members[user.id] = iso_now()
                    self.events.thread_members_update(channel, added=[user.id])
        body: JSON = {"content": content}
        if reply_to is not None:
            body["message_reference"] = {"message_id": str(reply_to.id)}
        msg = self.state.create_message(channel, user, body, [])
        self.log.add(f"{user.username} → {channel.label}: {message_summary(msg)}")
        self.events.message_create(msg)
        return msg

    # ================================================================== waiting
    def _touch(self) -> None:
        event = self._changed
        self._changed = asyncio.Event()
        event.set()

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        *,
        timeout: float = WAIT_SECONDS,
        what: str = "a condition",
    ) -> None:
        """Wait until ``predicate()`` holds; re-checked after every request the bot makes."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                tail = "\n".join(self.transcript[-8:])
                raise InteractionTimeout(
                    f"timed out waiting for {what}; recent transcript:\n{tail}"
                )
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def wait_for_message(
        self,
        channel: Channel,
        predicate: Callable[[Message], bool] | None = None,
        *,
        timeout: float = WAIT_SECONDS,
        include_existing: bool = False,
    ) -> Message:
        """Wait for a (non-ephemeral) message in ``channel`` (new ones only, by default)."""
        seen = set() if include_existing else {m.id for m in self.messages(channel)}
        found: list[Message] = []

        def check() -> bool:
            for msg in self.messages(channel):
                if msg.id not in seen and (predicate is None or predicate(msg)):
                    found.append(msg)
                    return True
            return False

        await self.wait_for(check, timeout=timeout, what=f"a message in {channel.label}")
        return found[0]

    # ================================================================== records
    def messages(self, channel: Channel, *, include_ephemeral: bool = False) -> list[Message]:
        """Messages in a channel/thread/DM, oldest first (ephemeral ones only on request)."""
        return self.state.history(channel, include_ephemeral=include_ephemeral)

    def get_message(self, message_id: int) -> Message | None:
        return self.state.messages_by_id.get(message_id)

    def threads(self, channel: Channel, *, include_deleted: bool = False) -> list[Channel]:
        """Threads whose parent is ``channel`` (archived ones included)."""
        return [
            c
            for c in self.state.channels.values()
            if c.is_thread and c.parent_id == channel.id and (include_deleted or not c.deleted)
        ]

    def commands(self, guild: Guild | None = None) -> list[JSON]:
        """The command tree the bot synced (global, or for ``guild``)."""
        if guild is None:
            return list(self.state.global_commands)
        return list(self.state.guild_commands.get(guild.id, []))

    def interaction(self, record_id: int) -> InteractionRecord | None:
        return self._by_id.get(record_id)

    def record_by_token(self, token: str) -> InteractionRecord | None:
        return self._by_token.get(token)

    def fail_next(
        self,
        method: str,
        path_pattern: str,
        status: int,
        count: int = 1,
        body: JSON | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests with ``status`` (before any handling).

        ``path_pattern`` is under /api/v10, ``*`` matches one path segment, ``**`` any;
        ``method`` may be ``"*"``. 429s get ``retry_after`` 0.05 s unless ``body`` says otherwise.
        """
        self._faults.add(method, path_pattern, status, count, body, dict(headers or {}))

    # ================================================================== http extras
    async def _serve_attachment(self, request: web.Request) -> web.StreamResponse:
        try:
            att = self.state.attachments.get(int(request.match_info["attachment_id"]))
        except ValueError:
            att = None
        if att is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(
            body=att.data, headers={"Content-Type": att.content_type or "application/octet-stream"}
        )

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        return json_response(404, {"message": "404: Not Found", "code": 0})

    def __repr__(self) -> str:
        return f"<DiscordEmulator {self.base_url} guilds={len(self.state.guilds)}>"


def _user_of(who: Member | User) -> User:
    return who.user if isinstance(who, Member) else who
