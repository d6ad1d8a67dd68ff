"""`/daily ...`: parse the options, call the daily service, render the answer."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._checks import guild_only, require_manage_guild
from bot.domain.errors import UserError
from bot.domain.schedule import suggest_timezones
from bot.i18n.messages import N_, day, known_locale, tr
from bot.services.daily import ScheduleSaved
from bot.ui.daily_notices import problem_text, stored_text
from bot.ui.daily_views import daily_view
from bot.ui.embeds import question_embed, status_embed
from bot.ui.language import language_choices, language_name
from bot.ui.publisher import DiscordPublisher
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot


class DailyCog(commands.Cog):
    daily = app_commands.Group(name="daily", description="The daily interview question")

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @daily.command(name="setup", description="Schedule the daily question (Manage Server)")
    @app_commands.describe(
        channel="Text channel for the daily post",
        time="Local time, 24-hour HH:MM, e.g. 09:00",
        timezone="IANA timezone, e.g. Europe/Berlin",
        ping_role="Role to ping with each post (optional)",
    )
    async def setup(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel,
        time: app_commands.Range[str, 1, 10],
        timezone: app_commands.Range[str, 1, 64],
        ping_role: discord.Role | None = None,
    ) -> None:
        guild_id = require_manage_guild(interaction)
        missing = DiscordPublisher(self.bot).missing_permissions(channel)
        if missing:
            raise UserError(
                "I can't post in {channel}: I am missing {permissions} there. Grant them, or "
                "pick another channel. Nothing was changed.",
                code="channel-permissions",
                channel=channel.mention,
                permissions=", ".join(missing),
            )
        if ping_role is not None and ping_role.is_default():
            raise UserError(
                "Pick a specific role to ping, not @everyone. Nothing was changed.",
                code="bad-role",
            )
        saved = await self.bot.services.daily.configure(
            guild_id,
            channel_id=channel.id,
            time_text=time,
            timezone_text=timezone,
            ping_role_id=ping_role.id if ping_role else None,
            config_channel_id=interaction.channel_id,
        )
        self.bot.services.scheduler.schedule(saved.config)
        await reply(interaction, _scheduled_text(interaction.locale, saved, channel, ping_role))

    @setup.autocomplete("timezone")
    async def _timezone_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=n) for n in suggest_timezones(current)]

    @daily.command(name="now", description="Post today's question now, unless already posted")
    async def now(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = require_manage_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.bot.services.daily.post_now(guild_id)
        post = outcome.post
        locale = interaction.locale
        if outcome.created and post is not None:
            text = tr(
                locale, "✅ Posted today's question in {channel}.", channel=f"<#{post.channel_id}>"
            )
        elif post is not None and post.status == "posted":
            text = tr(
                locale,
                "Today's question was already posted in {channel} (`{question}`); nothing was "
                "posted twice.",
                channel=f"<#{post.channel_id}>",
                question=post.question_id,
            )
        else:
            text = (
                tr(
                    locale,
                    "⚠ Not posted: {problem} See `/daily status`.",
                    problem=problem_text(
                        locale, outcome.problem.problem, outcome.problem.fix, outcome.problem.params
                    ),
                )
                if outcome.problem
                else tr(
                    locale, "⚠ Not posted: {reason}. See `/daily status`.", reason=outcome.reason
                )
            )
        await reply(interaction, text)

    @daily.command(name="pause", description="Pause the daily question (Manage Server)")
    async def pause(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = require_manage_guild(interaction)
        config = await self.bot.services.daily.set_paused(guild_id, True)
        self.bot.services.scheduler.schedule(config)
        await reply(
            interaction,
            tr(interaction.locale, "⏸ Daily question paused. `/daily resume` starts it again."),
        )

    @daily.command(name="resume", description="Resume the daily question (Manage Server)")
    async def resume(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = require_manage_guild(interaction)
        config = await self.bot.services.daily.set_paused(guild_id, False)
        self.bot.services.scheduler.schedule(config)
        await reply(
            interaction,
            tr(
                interaction.locale,
                "▶ Daily question resumed; the next post comes at the usual time.",
            ),
        )

    @daily.command(name="rotation", description="Set the weekly round rotation (Manage Server)")
    @app_commands.describe(
        slots="Seven comma-separated rounds, Monday first; add :easy|:medium|:hard to prefer one"
    )
    async def rotation(
        self, interaction: discord.Interaction[Any], slots: app_commands.Range[str, 1, 300]
    ) -> None:
        guild_id = require_manage_guild(interaction)
        saved = await self.bot.services.daily.set_rotation(guild_id, slots)
        await reply(
            interaction, tr(interaction.locale, "✅ Rotation (Mon→Sun): `{slots}`", slots=saved)
        )

    @daily.command(
        name="language", description="The language of the bot's posts here (Manage Server)"
    )
    @app_commands.describe(language="A Discord language; leave empty to follow the server's own")
    async def language(
        self,
        interaction: discord.Interaction[Any],
        language: app_commands.Range[str, 1, 10] | None = None,
    ) -> None:
        guild_id = require_manage_guild(interaction)
        chosen = await self.bot.services.daily.set_language(guild_id, language)
        locale = interaction.locale
        if chosen is None:
            current = known_locale(interaction.guild_locale)
            text = tr(
                locale,
                "✅ My posts here follow the server's language: **{language}**.",
                language=language_name(current),
            )
        else:
            text = tr(
                locale,
                "✅ My posts here are now in **{language}**.",
                language=language_name(chosen),
            )
        await reply(interaction, text)

    @language.autocomplete("language")
    async def _language_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=language_name(code)[:100], value=code)
            for code in language_choices(current)
        ]

    @daily.command(name="status", description="When the next daily question comes, and problems")
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_only(interaction)
        status = await self.bot.services.daily.status(guild_id)
        problems = []
        config = status.config
        locale = interaction.locale
        if config is not None and config.is_configured and config.channel_id is not None:
            channel = self.bot.get_channel(config.channel_id)
            if not isinstance(channel, discord.TextChannel):
                problems.append(
                    tr(
                        locale,
                        "The daily channel no longer exists: run `/daily setup` with another "
                        "channel.",
                    )
                )
            else:
                missing = DiscordPublisher(self.bot).missing_permissions(channel, locale)
                if missing:
                    problems.append(
                        tr(
                            locale,
                            "I am missing {permissions} in {channel}: grant them to my role there.",
                            permissions=", ".join(missing),
                            channel=channel.mention,
                        )
                    )
            if config.last_error:
                problems.append(
                    tr(
                        locale,
                        "Last attempt failed: {error}",
                        error=stored_text(locale, config.last_error),
                    )
                )
            if config.last_warning:
                problems.append(stored_text(locale, config.last_warning))
        await reply(interaction, embed=status_embed(status, problems=problems, locale=locale))

    @daily.command(name="share", description="Let your best answers be quoted at the reveal")
    @app_commands.describe(share="on: your answer may be quoted when a question is revealed")
    async def share(
        self, interaction: discord.Interaction[Any], share: Literal["on", "off"]
    ) -> None:
        guild_id = guild_only(interaction)
        await self.bot.services.answers.set_sharing(
            guild_id=guild_id,
            user_id=interaction.user.id,
            display_name=interaction.user.display_name,
            share=share == "on",
        )
        text = (
            N_("✅ When a question is revealed, your answer may be quoted if it is among the best.")
            if share == "on"
            else N_("✅ Your answers will not be quoted at reveals.")
        )
        await reply(interaction, tr(interaction.locale, text))

    @daily.command(name="question", description="Today's question, privately, with its buttons")
    async def question(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_only(interaction)
        found = await self.bot.services.daily.todays_post(guild_id)
        if found is None:
            raise UserError(
                "No daily question has been posted here yet. An admin can use `/daily now`.",
                code="no-post",
            )
        post, question = found
        locale = interaction.locale
        await reply(
            interaction,
            embed=question_embed(
                question,
                heading=tr(
                    locale,
                    "Daily question ({date})",
                    date=day(locale, date.fromisoformat(post.local_date)),
                ),
                locale=locale,
            ),
            view=daily_view(post.post_id, clarify=bool(question.clarifications), locale=locale),
        )


def _scheduled_text(
    locale: object,
    saved: ScheduleSaved,
    channel: discord.TextChannel,
    ping_role: discord.Role | None,
) -> str:
    """What /daily setup answers: where and when the posts go, and when the next one is."""
    config = saved.config
    unix = int(saved.next_post.timestamp())
    stamp = f"<t:{unix}:F> (<t:{unix}:R>)"
    when = (
        tr(locale, "Today's question is already out; the next post: {when}.", when=stamp)
        if saved.posted_today
        else tr(
            locale,
            "First post: {when}. Use `/daily now` to post today's right away.",
            when=stamp,
        )
    )
    where = {
        "channel": channel.mention,
        "time": f"{config.post_time:%H:%M}",
        "timezone": config.timezone,
        "when": when,
    }
    return (
        tr(
            locale,
            "✅ Daily question scheduled in {channel} at **{time}** **{timezone}**, pinging "
            "{role}. {when}",
            role=ping_role.mention,
            **where,
        )
        if ping_role
        else tr(
            locale,
            "✅ Daily question scheduled in {channel} at **{time}** **{timezone}**. {when}",
            **where,
        )
    )
