"""`/peer ...`: parse the options, call the peer service, render the answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._checks import guild_only, require_manage_guild
from bot.content.schema import Round
from bot.i18n.messages import tr
from bot.ui.embeds import round_text
from bot.ui.peer_embeds import feedback_embed
from bot.ui.peer_replies import join_text, settings_text, status_embed
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot

RoundChoice = Round
LevelChoice = Literal["easy", "medium", "hard"]
# Discord shows at most 10 embeds per message; older unread feedback waits for the next status.
FEEDBACK_PER_REPLY = 9


class PeerCog(commands.Cog):
    peer = app_commands.Group(name="peer", description="Practise with another member")

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @peer.command(name="join", description="Queue for a peer mock session")
    @app_commands.describe(
        round="The interview round to practise",
        level="Your level; members at a similar level are matched first",
        when="`now` (default) or a window in server time, e.g. 18:00-20:00 or sat 10:00-12:00",
    )
    async def join(
        self,
        interaction: discord.Interaction[Any],
        round: RoundChoice,
        level: LevelChoice | None = None,
        when: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        guild_id = guild_only(interaction)
        channel_id = interaction.channel_id
        assert channel_id is not None
        # A match opens a thread and adds both members: more than Discord's 3 s may pass.
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.bot.services.peers.queue.join(
            guild_id=guild_id,
            user_id=interaction.user.id,
            display_name=interaction.user.display_name,
            round_name=round,
            level=level,
            when=when,
            channel_id=channel_id,
        )
        await reply(interaction, join_text(outcome, interaction.locale))

    @peer.command(name="leave", description="Leave the peer queue")
    async def leave(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_only(interaction)
        entry = await self.bot.services.peers.queue.leave(guild_id, interaction.user.id)
        locale = interaction.locale
        await reply(
            interaction,
            tr(
                locale,
                "👋 You left the queue for **{round}**. `/peer join` any time.",
                round=round_text(entry.round, locale),
            ),
        )

    @peer.command(name="status", description="Your place in the peer queue and what comes next")
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_only(interaction)
        status = await self.bot.services.peers.queue.status(guild_id, interaction.user.id)
        locale = interaction.locale
        embeds = [status_embed(status, interaction.user.id, locale)]
        embeds += [feedback_embed(f, q, locale) for f, q in status.undelivered[:FEEDBACK_PER_REPLY]]
        await reply(interaction, embeds=embeds)

    @peer.command(name="setup", description="Peer session settings (Manage Server)")
    @app_commands.describe(
        channel="Text channel where session threads open (default: where the match happens)",
        expire_after="Minutes a `now` queue entry waits before it expires (5-1440)",
        no_show_after="Minutes before a missing partner can be reported (2-120)",
    )
    async def setup(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel | None = None,
        expire_after: app_commands.Range[int, 5, 1440] | None = None,
        no_show_after: app_commands.Range[int, 2, 120] | None = None,
    ) -> None:
        guild_id = require_manage_guild(interaction)
        settings = await self.bot.services.peers.queue.configure(
            guild_id,
            channel_id=channel.id if channel else None,
            expiry_minutes=expire_after,
            no_show_minutes=no_show_after,
        )
        await reply(interaction, f"✅ {settings_text(settings, interaction.locale)}")

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A message in a session thread shows its author turned up (no content is read)."""
        if (
            message.author.bot
            or message.guild is None
            or not isinstance(message.channel, discord.Thread)
        ):
            return
        await self.bot.services.peers.sessions.seen_in_thread(
            message.channel.id, message.author.id, guild_id=message.guild.id
        )
