"""Interactions: records of what a member did and how the bot answered, and payload building.

Slash invocations are validated against the command tree the bot synced (global or the guild's),
the way Discord's client would refuse them: see :class:`~emulator.errors.InvalidInvocation`.
"""

# ruff: noqa: ASYNC109
from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import render
from .errors import InteractionTimeout, InvalidInvocation
from .models import EPHEMERAL, Attachment, Channel, Guild, Member, Message, Role, User
from .permissions import Permission, base_permissions
from .waiting import WAIT_SECONDS

if TYPE_CHECKING:
    from .state import EmulatorState

JSON = dict[str, Any]

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5

# option types
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
)
OPTION_TYPE_NAMES = {
    3: "string",
    4: "integer",
    5: "boolean",
    6: "user",
    7: "channel",
    8: "role",
    9: "mentionable",
    10: "number",
    11: "attachment",
}

# callback types
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
MAX_SAFE_INT = 2**53


@dataclass
class ModalRecord:
    """A modal the bot opened (callback type 9)."""

    custom_id: str
    title: str
    components: list[JSON]

    @property
    def inputs(self) -> list[JSON]:
        """The input components (text inputs, selects, ...) with their label attached."""
        found: list[JSON] = []
        for top in self.components:
            if top.get("type") == 1:
                found.extend(dict(c) for c in top.get("components") or [])
            elif top.get("type") == 18 and isinstance(top.get("component"), dict):
                item = dict(top["component"])
                item.setdefault("label", top.get("label"))
                found.append(item)
        return found

    def input(self, custom_id: str) -> JSON | None:
        for item in self.inputs:
            if item.get("custom_id") == custom_id:
                return item
        return None


@dataclass(eq=False)
class InteractionRecord:
    """One interaction dispatched to the bot and everything the bot did with its token."""

    id: int
    token: str
    type: int
    user: User
    member: Member | None
    channel: Channel
    payload: JSON
    name: str
    source_message: Message | None = None
    opened_by: InteractionRecord | None = None
    created_at: float = field(default_factory=time.monotonic)
    dispatched_at: float = field(default_factory=time.perf_counter)
    callback_at: float | None = None
    response_type: int | None = None
    response_data: JSON | None = None
    acknowledged: bool = False
    rejected: list[tuple[int, int, str]] = field(default_factory=list)
    followups: list[Message] = field(default_factory=list)
    original: Message | None = None
    original_edits: int = 0
    modal: ModalRecord | None = None
    modal_submitted: bool = False
    choices: list[JSON] | None = None
    _event: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    @property
    def guild(self) -> Guild | None:
        return self.channel.guild

    @property
    def ephemeral(self) -> bool:
        """Whether the response (message, deferral or update) is ephemeral."""
        if self.original is not None:
            return self.original.ephemeral
        if self.response_data is not None:
            return bool(int(self.response_data.get("flags") or 0) & EPHEMERAL)
        return False

    @property
    def latency(self) -> float | None:
        """Seconds from dispatching INTERACTION_CREATE to the first callback attempt."""
        if self.callback_at is None:
            return None
        return self.callback_at - self.dispatched_at

    @property
    def responded(self) -> bool:
        return self.acknowledged or bool(self.rejected)

    @property
    def text(self) -> str:
        """Plain text of the original response (or of the response data when there is none)."""
        if self.original is not None:
            return self.original.text
        data = self.response_data or {}
        return render.full_text(
            str(data.get("content") or ""), data.get("embeds") or [], data.get("components") or []
        )

    @property
    def messages(self) -> list[Message]:
        """The original response (if any) followed by the followups, without duplicates."""
        out: list[Message] = []
        if self.original is not None:
            out.append(self.original)
        out.extend(m for m in self.followups if m is not self.original)
        return out

    def touch(self) -> None:
        event = self._event
        self._event = asyncio.Event()
        event.set()

    async def _wait(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise InteractionTimeout(f"{self.describe()}: timed out waiting for {what}")
            event = self._event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def wait_for_response(self, timeout: float = WAIT_SECONDS) -> InteractionRecord:
        """Wait for the first callback attempt (accepted or rejected)."""
        await self._wait(lambda: self.responded, timeout, "a callback")
        return self

    async def wait_for_followups(self, n: int = 1, timeout: float = WAIT_SECONDS) -> list[Message]:
        await self._wait(lambda: len(self.followups) >= n, timeout, f"{n} followup(s)")
        return list(self.followups)

    async def wait_for_original_edit(self, timeout: float = WAIT_SECONDS, *, n: int = 1) -> Message:
        """Wait until the original response was edited ``n`` times (e.g. after a deferral)."""
        await self._wait(
            lambda: self.original is not None and self.original_edits >= n,
            timeout,
            "an edit of the original response",
        )
        assert self.original is not None
        return self.original

    async def wait_until(
        self, predicate: Callable[[InteractionRecord], bool], timeout: float = WAIT_SECONDS
    ) -> InteractionRecord:
        await self._wait(lambda: predicate(self), timeout, "a condition")
        return self

    def describe(self) -> str:
        kinds = {3: "button/select ", 4: "autocomplete ", 5: ""}
        return f"{self.user.username}'s {kinds.get(self.type, '')}{self.name}"

    def __repr__(self) -> str:
        return (
            f"<InteractionRecord {self.describe()} response_type={self.response_type}"
            f" rejected={self.rejected}>"
        )


# --------------------------------------------------------------------- payloads
class ResolvedBuilder:
    def __init__(self, state: EmulatorState, guild: Guild | None, invoker: User) -> None:
        self.state = state
        self.guild = guild
        self.invoker = invoker
        self.data: dict[str, dict[str, JSON]] = {}

    def _put(self, kind: str, key: int, value: JSON) -> None:
        self.data.setdefault(kind, {})[str(key)] = value

    def user(self, user: User) -> None:
        self._put("users", user.id, user.payload())
        if self.guild is not None and user.id in self.guild.members:
            member = self.guild.members[user.id]
            mdata = member.payload(with_user=False)
            mdata["permissions"] = str(base_permissions(self.guild, member))
            self._put("members", user.id, mdata)

    def role(self, role: Role) -> None:
        self._put("roles", role.id, role.payload())

    def channel(self, channel: Channel) -> None:
        perms = self.state.permissions_of(self.invoker, channel)
        self._put("channels", channel.id, channel.payload(permissions=perms))

    def attachment(self, att: Attachment) -> None:
        self._put("attachments", att.id, att.payload())

    def message(self, msg: Message) -> None:
        self._put("messages", msg.id, msg.payload())


def member_payload(state: EmulatorState, member: Member, channel: Channel) -> JSON:
    data = member.payload()
    data["permissions"] = str(state.permissions_of(member.user, channel))
    return data


def interaction_payload(
    state: EmulatorState,
    *,
    interaction_id: int,
    token: str,
    itype: int,
    user: User,
    channel: Channel,
    data: JSON | None,
    locale: str,
    message: Message | None = None,
) -> JSON:
    guild = channel.guild
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(state.application_id),
        "type": itype,
        "token": token,
        "version": 1,
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        "app_permissions": str(state.bot_permissions(channel)),
        "channel_id": str(channel.id),
    }
    if data is not None:
        payload["data"] = data
    if guild is not None:
        member = guild.members[user.id]
        perms = state.permissions_of(user, channel)
        payload["guild_id"] = str(guild.id)
        payload["guild"] = {"id": str(guild.id), "locale": guild.locale, "features": []}
        payload["guild_locale"] = guild.locale
        payload["member"] = member_payload(state, member, channel)
        payload["channel"] = channel.payload(permissions=perms)
        payload["authorizing_integration_owners"] = {"0": str(guild.id)}
        payload["context"] = 0
    else:
        payload["user"] = user.payload()
        payload["channel"] = channel.payload(permissions=state.permissions_of(user, channel))
        payload["authorizing_integration_owners"] = {"0": "0"}
        payload["context"] = 1
    if message is not None:
        payload["message"] = message.payload()
    return payload


# --------------------------------------------------------------------- slash commands
@dataclass
class ResolvedCommand:
    command: JSON
    path: list[str]
    options: list[JSON]  # definitions of the leaf's options
    guild_id: int | None


def find_command(
    state: EmulatorState, guild: Guild | None, name: str, *, member: Member | None
) -> ResolvedCommand:
    parts = name.strip().lstrip("/").split()
    if not parts:
        raise InvalidInvocation("empty command name")
    candidates: list[tuple[JSON, int | None]] = []
    if guild is not None:
        candidates.extend((c, guild.id) for c in state.guild_commands.get(guild.id, []))
    candidates.extend((c, None) for c in state.global_commands)
    top: JSON | None = None
    top_guild: int | None = None
    for cmd, gid in candidates:
        if int(cmd.get("type", 1)) == 1 and cmd.get("name") == parts[0]:
            top, top_guild = cmd, gid
            break
    if top is None:
        known = sorted({str(c.get("name")) for c, _ in candidates})
        where = f"guild {guild.name!r}" if guild is not None else "DMs"
        raise InvalidInvocation(
            f"/{parts[0]} is not a synced command available in {where} (synced: {known})"
        )
    _check_availability(top, guild, member, top_guild)
    options = list(top.get("options") or [])
    for depth, part in enumerate(parts[1:], start=1):
        sub = next(
            (
                o
                for o in options
                if o.get("name") == part
                and int(o.get("type", 0)) in (SUB_COMMAND, SUB_COMMAND_GROUP)
            ),
            None,
        )
        if sub is None:
            have = [o.get("name") for o in options if int(o.get("type", 0)) in (1, 2)]
            raise InvalidInvocation(
                f"/{' '.join(parts[:depth])} has no subcommand {part!r} (has {have})"
            )
        options = list(sub.get("options") or [])
        if depth == len(parts) - 1 and int(sub.get("type", 0)) == SUB_COMMAND_GROUP:
            raise InvalidInvocation(f"/{name} is a subcommand group: name a subcommand")
    if any(int(o.get("type", 0)) in (1, 2) for o in options):
        subs = [o.get("name") for o in options]
        raise InvalidInvocation(f"/{name} needs a subcommand: one of {subs}")
    return ResolvedCommand(top, parts, options, top_guild)


def _check_availability(
    cmd: JSON, guild: Guild | None, member: Member | None, cmd_guild: int | None
) -> None:
    contexts = cmd.get("contexts")
    if guild is None:
        if cmd_guild is not None:
            raise InvalidInvocation(f"/{cmd.get('name')} is a guild command: not usable in DMs")
        if contexts is not None and 1 not in contexts:
            raise InvalidInvocation(f"/{cmd.get('name')} is not available in bot DMs")
        if contexts is None and cmd.get("dm_permission") is False:
            raise InvalidInvocation(f"/{cmd.get('name')} is not available in DMs")
        return
    if contexts is not None and 0 not in contexts:
        raise InvalidInvocation(f"/{cmd.get('name')} is not available in guilds")
    required = cmd.get("default_member_permissions")
    if required is not None and member is not None:
        needed = int(required)
        have = base_permissions(guild, member)
        if have & Permission.ADMINISTRATOR:
            return
        if needed == 0 or have & needed != needed:
            raise InvalidInvocation(
                f"{member.name} cannot see /{cmd.get('name')}: it needs default_member_permissions"
                f" {needed} (pass ignore_default_permissions=True to model a server override)"
            )


def _display(value: Any) -> str:
    if isinstance(value, Channel):
        return value.label if value.is_thread else f"#{value.name}"
    if isinstance(value, (Member, User)):
        return f"@{value.name}"
    if isinstance(value, Role):
        return f"@{value.name}"
    if isinstance(value, Attachment):
        return value.filename
    return str(value)


def convert_option(
    state: EmulatorState,
    opt: JSON,
    value: Any,
    resolved: ResolvedBuilder,
    guild: Guild | None,
    *,
    focused: bool = False,
) -> Any:
    """Check ``value`` against an option definition; returns the payload value."""
    otype = int(opt.get("type", 0))
    name = str(opt.get("name"))
    tname = OPTION_TYPE_NAMES.get(otype, str(otype))

    def wrong() -> InvalidInvocation:
        return InvalidInvocation(
            f"option {name!r} is a {tname} option: {value!r} ({type(value).__name__}) is not valid"
        )

    if focused:
        if not opt.get("autocomplete"):
            raise InvalidInvocation(f"option {name!r} has no autocomplete")
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise wrong()
        return str(value) if otype == STRING else value
    if otype in (STRING, INTEGER, NUMBER, BOOLEAN):
        out = _scalar_value(otype, name, opt, value, wrong)
    else:
        out = _entity_value(otype, name, opt, value, resolved, guild, wrong)
    choices = opt.get("choices")
    if choices and out not in [c.get("value") for c in choices]:
        valid = [c.get("value") for c in choices]
        raise InvalidInvocation(f"option {name!r}: {value!r} is not one of the choices {valid}")
    return out


def _scalar_value(
    otype: int, name: str, opt: JSON, value: Any, wrong: Callable[[], InvalidInvocation]
) -> Any:
    """A string, integer, number or boolean option's value, within its declared bounds."""
    if otype == STRING:
        if not isinstance(value, str):
            raise wrong()
        low, high = opt.get("min_length"), opt.get("max_length")
        too_short = low is not None and len(value) < int(low)
        if too_short or (high is not None and len(value) > int(high)):
            raise InvalidInvocation(f"option {name!r}: length {len(value)} outside [{low}, {high}]")
        return value
    if otype == BOOLEAN:
        if not isinstance(value, bool):
            raise wrong()
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise wrong()
    if otype == INTEGER and not isinstance(value, int):
        raise wrong()
    if abs(value) > MAX_SAFE_INT:
        raise InvalidInvocation(f"option {name!r}: {value} is out of range")
    low, high = opt.get("min_value"), opt.get("max_value")
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidInvocation(f"option {name!r}: {value} outside [{low}, {high}]")
    return value


def _entity_value(
    otype: int,
    name: str,
    opt: JSON,
    value: Any,
    resolved: ResolvedBuilder,
    guild: Guild | None,
    wrong: Callable[[], InvalidInvocation],
) -> str:
    """A user, role, channel or attachment option: its id, added to the resolved data."""
    if otype in (USER, MENTIONABLE) and isinstance(value, (Member, User)):
        user = value.user if isinstance(value, Member) else value
        if isinstance(value, Member) and guild is not None and value.guild is not guild:
            raise InvalidInvocation(f"option {name!r}: {value.name} is not in this guild")
        resolved.user(user)
        return str(user.id)
    if otype in (ROLE, MENTIONABLE) and isinstance(value, Role):
        if guild is None or value.guild_id != guild.id:
            raise InvalidInvocation(f"option {name!r}: role {value.name} is not in this guild")
        resolved.role(value)
        return str(value.id)
    if otype == CHANNEL and isinstance(value, Channel):
        if guild is None or value.guild is not guild or value.deleted:
            raise InvalidInvocation(f"option {name!r}: {value.label} is not in this guild")
        allowed_types = opt.get("channel_types")
        if allowed_types and value.type not in allowed_types:
            raise InvalidInvocation(
                f"option {name!r} accepts channel types {allowed_types}, not {value.type}"
            )
        resolved.channel(value)
        return str(value.id)
    if otype == ATTACHMENT and isinstance(value, Attachment):
        resolved.attachment(value)
        return str(value.id)
    raise wrong()


def build_command_data(
    state: EmulatorState,
    resolved_cmd: ResolvedCommand,
    values: Mapping[str, Any],
    *,
    guild: Guild | None,
    invoker: User,
    focused: str | None = None,
) -> tuple[JSON, str]:
    """The ``data`` of an APPLICATION_COMMAND / AUTOCOMPLETE interaction, and a display string."""
    defs = {str(o.get("name")): o for o in resolved_cmd.options}
    resolved = ResolvedBuilder(state, guild, invoker)
    leaf: list[JSON] = []
    shown: list[str] = []
    for key, value in values.items():
        if value is None:
            continue
        opt = defs.get(key)
        if opt is None:
            raise InvalidInvocation(
                f"/{' '.join(resolved_cmd.path)} has no option {key!r} (has {sorted(defs)})"
            )
        is_focused = key == focused
        converted = convert_option(state, opt, value, resolved, guild, focused=is_focused)
        item: JSON = {"name": key, "type": int(opt["type"]), "value": converted}
        if is_focused:
            item["focused"] = True
        leaf.append(item)
        shown.append(f"{key}:{_display(value)}")
    if focused is not None and focused not in values:
        raise InvalidInvocation(f"focused option {focused!r} has no value")
    if focused is None:
        missing = [n for n, o in defs.items() if o.get("required") and values.get(n) is None]
        if missing:
            raise InvalidInvocation(
                f"/{' '.join(resolved_cmd.path)} is missing required option(s) {missing}"
            )
    options: list[JSON] = leaf
    path = resolved_cmd.path
    chain = _subcommand_types(resolved_cmd.command, path[1:])
    for sub_name, sub_type in reversed(list(zip(path[1:], chain, strict=True))):
        options = [{"name": sub_name, "type": sub_type, "options": options}]
    data: JSON = {
        "id": str(resolved_cmd.command.get("id")),
        "name": path[0],
        "type": 1,
        "options": options,
    }
    if resolved.data:
        data["resolved"] = resolved.data
    if resolved_cmd.guild_id is not None:
        data["guild_id"] = str(resolved_cmd.guild_id)
    display = "/" + " ".join(path) + ("" if not shown else " " + " ".join(shown))
    return data, display


def _subcommand_types(command: JSON, names: list[str]) -> list[int]:
    types: list[int] = []
    options = command.get("options") or []
    for name in names:
        sub = next(o for o in options if o.get("name") == name)
        types.append(int(sub["type"]))
        options = sub.get("options") or []
    return types


# --------------------------------------------------------------------- components & modals
def component_data(
    msg: Message, custom_id: str, values: list[Any] | None, resolved: ResolvedBuilder
) -> tuple[JSON, JSON]:
    """(interaction data, the component) for a click/select on ``msg``."""
    comp = msg.find_component(custom_id)
    if comp is None:
        ids = [c.get("custom_id") for c in msg.all_components if c.get("custom_id")]
        raise InvalidInvocation(f"message {msg.id} has no component {custom_id!r} (has {ids})")
    if comp.get("disabled"):
        raise InvalidInvocation(f"component {custom_id!r} is disabled")
    ctype = int(comp.get("type", 0))
    data: JSON = {"custom_id": custom_id, "component_type": ctype}
    if ctype == render.BUTTON:
        if values is not None:
            raise InvalidInvocation(f"{custom_id!r} is a button: use click()")
        return data, comp
    if ctype not in render.SELECT_TYPES:
        raise InvalidInvocation(f"component {custom_id!r} (type {ctype}) cannot be used")
    if values is None:
        raise InvalidInvocation(f"{custom_id!r} is a select menu: use select()")
    low = int(comp.get("min_values", 1))
    high = int(comp.get("max_values", 1))
    if not low <= len(values) <= high:
        raise InvalidInvocation(
            f"select {custom_id!r} takes {low}..{high} values, not {len(values)}"
        )
    out: list[str] = []
    if ctype == render.STRING_SELECT:
        valid = [o.get("value") for o in comp.get("options") or []]
        for value in values:
            if value not in valid:
                raise InvalidInvocation(f"select {custom_id!r}: {value!r} is not among {valid}")
            out.append(str(value))
    else:
        for value in values:
            if isinstance(value, Member):
                resolved.user(value.user)
                out.append(str(value.id))
            elif isinstance(value, User):
                resolved.user(value)
                out.append(str(value.id))
            elif isinstance(value, Role):
                resolved.role(value)
                out.append(str(value.id))
            elif isinstance(value, Channel):
                resolved.channel(value)
                out.append(str(value.id))
            else:
                raise InvalidInvocation(f"select {custom_id!r}: cannot select {value!r}")
    data["values"] = out
    if resolved.data:
        data["resolved"] = resolved.data
    return data, comp


def modal_submit_components(modal: ModalRecord, values: Mapping[str, Any]) -> list[JSON]:
    """Mirror the modal's layout (action rows or labels) with the submitted values."""
    known = {str(i.get("custom_id")) for i in modal.inputs if i.get("custom_id")}
    unknown = sorted(set(values) - known)
    if unknown:
        raise InvalidInvocation(
            f"modal {modal.title!r} has no input(s) {unknown} (has {sorted(known)})"
        )

    def submitted(comp: JSON) -> JSON:
        ctype = int(comp.get("type", 0))
        custom_id = comp.get("custom_id")
        out: JSON = {"type": ctype}
        if "id" in comp:
            out["id"] = comp["id"]
        if custom_id is None:
            return out
        out["custom_id"] = custom_id
        given = values.get(str(custom_id))
        if ctype == render.TEXT_INPUT:
            out["value"] = _text_input_value(comp, given)
        elif ctype in (render.STRING_SELECT, 22):
            chosen = [] if given is None else list(given)
            if ctype == render.STRING_SELECT:
                valid = [o.get("value") for o in comp.get("options") or []]
                bad = [v for v in chosen if v not in valid]
                if bad:
                    raise InvalidInvocation(f"select {custom_id!r}: {bad} not among {valid}")
            out["values"] = [str(v) for v in chosen]
        elif ctype == 23:
            out["value"] = bool(given)
        else:
            out["value"] = given
        return out

    result: list[JSON] = []
    for top in modal.components:
        ttype = int(top.get("type", 0))
        if ttype == 1:
            row: JSON = {
                "type": 1,
                "components": [submitted(c) for c in top.get("components") or []],
            }
            if "id" in top:
                row["id"] = top["id"]
            result.append(row)
        elif ttype == 18 and isinstance(top.get("component"), dict):
            label: JSON = {"type": 18, "component": submitted(top["component"])}
            if "id" in top:
                label["id"] = top["id"]
            result.append(label)
        else:
            result.append(submitted(top))
    return result


def _text_input_value(comp: JSON, given: Any) -> str:
    """A text input's submitted value, refused as Discord's client would refuse it."""
    custom_id = comp.get("custom_id")
    text = "" if given is None else given
    if not isinstance(text, str):
        raise InvalidInvocation(f"text input {custom_id!r} takes a string")
    if comp.get("required", True) and not text:
        raise InvalidInvocation(f"text input {custom_id!r} is required")
    low, high = comp.get("min_length"), comp.get("max_length")
    if text and (low is not None and len(text) < int(low)):
        raise InvalidInvocation(f"text input {custom_id!r}: shorter than {low}")
    if high is not None and len(text) > int(high):
        raise InvalidInvocation(f"text input {custom_id!r}: longer than {high}")
    return text
