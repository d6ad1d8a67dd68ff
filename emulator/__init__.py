"""A Discord emulator on 127.0.0.1 for driving the real discord.py client end to end.

REST lives under ``/api/v10`` and the gateway is a JSON (uncompressed, text-frame) websocket at
``/gateway/``. The emulator speaks JSON only; it never imports discord.py.

Wiring a discord.py client to it (``emulator.harness`` does this for you)::

    async with DiscordEmulator() as emu:
        guild = emu.add_guild("Study Hall")
        daily = emu.add_text_channel(guild, "daily")
        alice = emu.add_member(guild, "alice")
        bot = commands.Bot(command_prefix="!", intents=discord.Intents.default(),
                           guild_ready_timeout=0.05)
        async with harness.connected(bot, emu):   # sets Route.BASE / DEFAULT_GATEWAY, logs in,
            await bot.tree.sync()                 # connects, waits for on_ready, closes on exit
            inter = await emu.slash(alice, daily, "ping")
            assert inter.text == "pong"

By hand: ``discord.http.Route.BASE = emu.api_base_url`` and
``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emu.gateway_url)`` (class
attributes), ``await client.login(any_token)``, run ``client.connect()`` in a task,
``await client.wait_until_ready()``; at the end ``await client.close()`` and ``await emu.stop()``.

Public API
----------
``DiscordEmulator(*, callback_deadline=3.0, global_rate_limit=None, route_rate_limit=1000,
shard_count=1, application_id=None, bot_name="Interview Prep", response_timeout=WAIT_SECONDS)``

- lifecycle: ``await start()``, ``await stop()``, ``async with``; ``api_base_url``,
  ``gateway_url``, ``base_url``, ``port``, ``application_id``, ``bot_user``.
- world: ``add_guild(name, *, locale, bot_permissions) -> Guild`` (@everyone role id == guild
  id; the bot is a member with a broad, non-admin role), ``add_text_channel(g, name, *,
  category, topic)``, ``add_voice_channel``, ``add_announcement_channel``, ``add_category``,
  ``add_role(g, name, *, permissions, mentionable)``, ``add_member(g, name, *, manage_guild,
  permissions, roles, nick) -> Member``, ``give_role(member, role)``, ``dm_channel(member)``,
  ``close_dms(member)`` / ``open_dms``, ``set_channel_permissions(channel, role_or_member, *,
  allow, deny)``, ``set_bot_channel_permissions(channel, *, deny, allow)`` (names like
  ``"SEND_MESSAGES"``, :class:`Permission` values or bits), ``bot_permissions(channel)``,
  ``await delete_channel(channel)``, ``await remove_guild(g)``. Changes made while a bot is
  connected are dispatched (GUILD_CREATE, CHANNEL_CREATE/UPDATE/DELETE, GUILD_DELETE, ...).
- gateway: ``await wait_until_ready(timeout)``, ``await force_reconnect(wait=True)`` (op 7; the
  client RESUMEs and missed events are replayed), ``await flush()``, ``dispatch(event, data)``,
  ``sessions``. Sharding: IDENTIFY ``shard: [id, count]`` gets guilds with
  ``(guild_id >> 22) % count == id``; ``GET /gateway/bot`` answers ``shard_count``.
  Intents are honoured: without GUILD_MEMBERS, GUILD_CREATE lists only the bot member; without
  MESSAGE_CONTENT, MESSAGE_CREATE content is blanked unless the bot is mentioned or it is a DM.
- members act (each returns an :class:`InteractionRecord` once the bot answered, unless
  ``wait=False``; raise :class:`InvalidInvocation` for what Discord would not allow):
  ``await slash(member, channel, "cmd sub", *, options=None, ignore_default_permissions=False,
  **values)``, ``await autocomplete(member, channel, "cmd", focused="opt", **values) ->
  choices``, ``await click(member, message, custom_id=None, *, label=None)``, ``await
  select(member, message, custom_id, values)``, ``await submit_modal(member, opened_by,
  {custom_id: value})``, ``make_attachment(filename, data, content_type)``, ``await
  post_message(member, channel, content, *, reply_to=None) -> Message``.
- records: ``requests`` (:class:`RecordedRequest`: method, path under /api/v10, query, json or
  payload_json, files, status, time, response), ``stats``, ``interactions``, ``messages(channel,
  *, include_ephemeral=False)``, ``get_message(id)``, ``threads(channel)``,
  ``commands(guild=None)``,
  ``transcript`` (list of one-line events), ``render_transcript()``.
- waiting: ``await wait_for(predicate, timeout=5)`` (re-checked after every bot request),
  ``await wait_for_message(channel, predicate=None, timeout=5) -> Message`` (e.g. a scheduled
  post); on records: ``wait_for_response``, ``wait_for_followups(n)``,
  ``wait_for_original_edit()``, ``wait_until(predicate)``.
- faults: ``fail_next(method, "/channels/*/messages", status, count=1, body=None, headers=None)``.
- :class:`Message`: ``content, embeds, components, attachments (filename, data), author, flags,
  ephemeral, allowed_mentions (as sent), message_reference, thread, pinged_everyone,
  pinged_roles, pinged_users (ids, by Discord's rules), text (everything readable), buttons,
  edit_count, deleted``. :class:`InteractionRecord`: ``response_type, response_data, ephemeral,
  original, followups, modal (custom_id, title, components, inputs), choices, rejected
  [(status, code, message)], latency, payload, text``.
- ``harness`` (imports discord.py): ``connected(client, emu)``, ``point_discord_at(emu)``,
  ``ErrorLogWatcher`` (collects ERROR records of the ``discord`` logger).

Discord rules emulated: callbacks after ``callback_deadline`` -> 404 10062; a second callback ->
400 40060; content > 2000, > 10 embeds, embeds > 6000 chars, bad components/modals -> 400 50035;
missing permissions -> 403 50013 / 50001; closed DMs -> 403 50007; deleted channels -> 404 10003;
private threads only in text channels; optional global rate limit (429 with ``global: true``).
"""

from .emulator import DiscordEmulator
from .errors import ApiError, EmulatorError, InteractionTimeout, InvalidInvocation
from .interactions import InteractionRecord, ModalRecord
from .models import Attachment, Channel, ChannelType, Guild, Member, Message, Role, User
from .permissions import Permission
from .server import RecordedRequest

__all__ = [
    "ApiError",
    "Attachment",
    "Channel",
    "ChannelType",
    "DiscordEmulator",
    "EmulatorError",
    "Guild",
    "InteractionRecord",
    "InteractionTimeout",
    "InvalidInvocation",
    "Member",
    "Message",
    "ModalRecord",
    "Permission",
    "RecordedRequest",
    "Role",
    "User",
]
