"""`/grading ...`: the admin view of AI grading spend and limits; and feedback owed to members,
shown after any slash command they use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs._checks import AdminGroup, require_manage_guild
from bot.cogs.grading._embeds import cooldowns_text, limits_text, spend_embed
from bot.domain.cooldowns import MAX_COOLDOWN_SECONDS, CooldownKind
from bot.domain.errors import UserError
from bot.domain.spend import MAX_GUILD_DAILY_TOKENS, MAX_MEMBER_DAILY_ANSWERS
from bot.i18n.messages import tr
from bot.ui.feedback import send_pending_feedback
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot


class GradingCog(commands.Cog):
    grading = AdminGroup(name="grading", description="AI grading spend and limits (Manage Server)")

    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @grading.command(name="usage", description="Tokens and estimated cost of AI grading")
    async def usage(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = require_manage_guild(interaction)
        report = await self.bot.services.grading.report(guild_id)
        offline = self.bot.services.answers.grader.approximate
        await reply(
            interaction, embed=spend_embed(report, offline=offline, locale=interaction.locale)
        )

    @grading.command(name="limits", description="Show or set the daily AI grading limits")
    @app_commands.describe(
        member_answers="AI-graded answers per member per day (0 = always offline)",
        server_tokens="Tokens the whole server may use per day (0 = always offline)",
    )
    async def limits(
        self,
        interaction: discord.Interaction[Any],
        member_answers: app_commands.Range[int, 0, MAX_MEMBER_DAILY_ANSWERS] | None = None,
        server_tokens: app_commands.Range[int, 0, MAX_GUILD_DAILY_TOKENS] | None = None,
    ) -> None:
        guild_id = require_manage_guild(interaction)
        limits = await self.bot.services.grading.set_limits(
            guild_id,
            member_daily_answers=member_answers,
            guild_daily_tokens=server_tokens,
            updated_by=interaction.user.id,
        )
        changed = member_answers is not None or server_tokens is not None
        locale = interaction.locale
        heading = (
            tr(locale, "✅ Limits saved.") if changed else tr(locale, "Current AI grading limits.")
        )
        await reply(interaction, f"{heading}\n{limits_text(limits, locale)}")

    @grading.command(name="cooldowns", description="Show or set per-member cooldowns")
    @app_commands.describe(
        action="Which action's cooldown to set", seconds="Seconds between two tries (0 = none)"
    )
    async def cooldowns(
        self,
        interaction: discord.Interaction[Any],
        action: CooldownKind | None = None,
        seconds: app_commands.Range[int, 0, MAX_COOLDOWN_SECONDS] | None = None,
    ) -> None:
        guild_id = require_manage_guild(interaction)
        service = self.bot.services.cooldowns
        if (action is None) != (seconds is None):
            raise UserError(
                "Give both `action` and `seconds` to change a cooldown, or neither to see them. "
                "Nothing was changed.",
                code="bad-cooldown",
            )
        if action is not None and seconds is not None:
            current = await service.set(guild_id, action, seconds)
            heading = tr(interaction.locale, "✅ Cooldown saved.")
        else:
            current = await service.settings(guild_id)
            heading = tr(interaction.locale, "Current cooldowns.")
        await reply(interaction, f"{heading}\n{cooldowns_text(current, interaction.locale)}")

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction[Any], command: Any
    ) -> None:
        # Feedback graded after the member stopped waiting, whose DM could not be delivered,
        # rides along on whatever command the member uses next.
        await send_pending_feedback(interaction)
