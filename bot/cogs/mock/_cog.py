"""`/mock start|end|loop|status|settings`: parse the options, call the mock service, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._checks import guild_only, is_manager, require_manage_guild
from bot.content.schema import Round
from bot.domain.errors import UserError
from bot.domain.message import Command
from bot.i18n.messages import number, tr
from bot.ui.language import interaction_server_language
from bot.ui.mock_replies import (
    ended_text,
    started_text,
    status_embed,
    track_switched_text,
)
from bot.ui.mock_views import RespondModal
from bot.ui.privacy_notice import reply_with_notice
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot

RoundChoice = Round
DifficultyChoice = Literal["easy", "medium", "hard"]


def _text_channel(interaction: discord.Interaction[Any]) -> discord.TextChannel:
    channel = interaction.channel
    if isinstance(channel, discord.TextChannel) and channel.type == discord.ChannelType.text:
        return channel
    if isinstance(channel, discord.Thread):
        raise UserError(
            "A mock round runs in a private thread, which Discord allows only in text channels, "
            "not in a thread. Use this command in a text channel. Nothing was started.",
            code="wrong-channel",
        )
    raise UserError(
        "A mock round runs in a private thread, which Discord allows only in text channels, "
        "not in this kind of channel. Use this command in a text channel. Nothing was started.",
        code="wrong-channel",
    )


class MockCog(commands.Cog):
    mock = app_commands.Group(name="mock", description="Mock interviews with an AI interviewer")

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # A form opened before a restart is submitted to this process: be ready to receive it.
        for mock in await self.bot.services.mocks.active_rounds():
            self.bot.add_view(RespondModal(mock.round_id, "answer"))

    @mock.command(name="start", description="Start a mock interview round in a private thread")
    @app_commands.describe(
        round="Which interview round",
        difficulty="Preferred difficulty (optional)",
        phone_screen="Coding only: a 60-minute phone screen with two questions",
    )
    async def start(
        self,
        interaction: discord.Interaction[Any],
        round: RoundChoice,
        difficulty: DifficultyChoice | None = None,
        phone_screen: bool = False,
    ) -> None:
        guild_id = guild_only(interaction)
        channel = _text_channel(interaction)
        # Opening a thread and posting in it can take longer than the 3 s for a first answer.
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.bot.services.mocks.start(
            guild_id=guild_id,
            user_id=interaction.user.id,
            display_name=interaction.user.display_name,
            channel_id=channel.id,
            round_name=round,
            difficulty=difficulty,
            # The thread is posted in a channel: the round speaks the server's language.
            locale=await interaction_server_language(interaction),
            phone_screen=phone_screen,
        )
        # The notice comes before the member writes anything in the round.
        await reply_with_notice(
            interaction,
            started_text(
                outcome.mock,
                outcome.loop,
                outcome.rounds_today,
                outcome.daily_limit,
                interaction.locale,
            ),
        )

    @mock.command(name="end", description="Finish your mock round and get the scorecard")
    async def end(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_only(interaction)
        if interaction.channel_id is None:
            raise UserError(
                "Use {command} inside your round's thread.",
                code="wrong-place",
                command=Command("/mock end"),
            )
        # Writing the scorecard is a model call: defer first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.bot.services.mocks.end(
            guild_id=guild_id,
            thread_id=interaction.channel_id,
            user_id=interaction.user.id,
            display_name=interaction.user.display_name,
            is_admin=is_manager(interaction),
        )
        await reply(interaction, ended_text(outcome, interaction.locale))

    @mock.command(name="loop", description="Run the whole onsite loop, one round at a time")
    @app_commands.describe(
        track="swe: a second, deeper coding round; ml: an ML design round",
        fresh="Abandon your loop in progress and start a new one",
    )
    async def loop(
        self,
        interaction: discord.Interaction[Any],
        track: Literal["swe", "ml"] | None = None,
        fresh: bool = False,
    ) -> None:
        guild_id = guild_only(interaction)
        channel = _text_channel(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.bot.services.mocks.start_loop(
            guild_id=guild_id,
            user_id=interaction.user.id,
            display_name=interaction.user.display_name,
            channel_id=channel.id,
            # The thread is posted in a channel: the round speaks the server's language.
            locale=await interaction_server_language(interaction),
            track=track,
            fresh=fresh,
        )
        # The notice comes before the member writes anything in the round.
        locale = interaction.locale
        text = started_text(
            outcome.mock, outcome.loop, outcome.rounds_today, outcome.daily_limit, locale
        )
        if outcome.switched_track is not None:
            text = f"{track_switched_text(outcome.switched_track, locale)}\n{text}"
        await reply_with_notice(interaction, text)

    @mock.command(name="status", description="Your current round, loop and recent scorecards")
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_only(interaction)
        status = await self.bot.services.mocks.status(guild_id, interaction.user.id)
        await reply(interaction, embed=status_embed(status, interaction.locale))

    @mock.command(
        name="settings", description="Mock round limits here (changing them: Manage Server)"
    )
    @app_commands.describe(
        idle_minutes="Close a round after this many minutes without an answer (10-180)",
        daily_limit="Rounds a member may start per day (1-20)",
    )
    async def settings(
        self,
        interaction: discord.Interaction[Any],
        idle_minutes: int | None = None,
        daily_limit: int | None = None,
    ) -> None:
        changed = idle_minutes is not None or daily_limit is not None
        guild_id = require_manage_guild(interaction) if changed else guild_only(interaction)
        saved = await self.bot.services.mocks.configure(
            guild_id, idle_minutes=idle_minutes, daily_limit=daily_limit
        )
        locale = interaction.locale
        text = tr(
            locale,
            "Mock rounds here close after **{minutes} min** without an answer; each member may "
            "start **{limit}** per day.",
            minutes=number(locale, saved.idle_minutes),
            limit=number(locale, saved.daily_limit),
        )
        if changed:
            text = tr(locale, "✅ Saved. {settings}", settings=text)
        await reply(interaction, text)
