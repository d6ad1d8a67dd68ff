"""Discord permission names as the bot shows them (msgids: translators use Discord's own wording
in their language), and which of the ones a feature needs the bot lacks in a channel."""

from __future__ import annotations

from collections.abc import Iterable

import discord

from bot.i18n.messages import N_

# i18n: Discord permission names, as Discord's own settings show them in your language.
PERMISSION_NAMES = {
    "view_channel": N_("View Channel"),
    "send_messages": N_("Send Messages"),
    "embed_links": N_("Embed Links"),
    "create_public_threads": N_("Create Public Threads"),
    "create_private_threads": N_("Create Private Threads"),
    "send_messages_in_threads": N_("Send Messages in Threads"),
}


def lacking(granted: discord.Permissions, needed: Iterable[str]) -> tuple[str, ...]:
    """The names (msgids) of the `needed` permissions (`discord.Permissions` attributes) not in
    `granted`, in the order given."""
    return tuple(PERMISSION_NAMES[attr] for attr in needed if not getattr(granted, attr))


def missing(channel: discord.TextChannel, needed: Iterable[str]) -> tuple[str, ...]:
    """What of `needed` the bot lacks in `channel` (see `lacking`)."""
    me = channel.guild.me
    return () if me is None else lacking(channel.permissions_for(me), needed)
