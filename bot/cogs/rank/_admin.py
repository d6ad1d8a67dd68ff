"""`/daily rewards ...` (Manage Server): streak freezes, streak restores and milestone roles.
Every change is written to the progress audit log with who made it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.cogs._checks import AdminGroup, require_manage_guild
from bot.domain.errors import UserError
from bot.domain.progress import ProgressSettings
from bot.domain.streaks import MAX_FREEZES_PER_WEEK
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot


def _role(role_id: int | None) -> str:
    return f"<@&{role_id}>" if role_id else "off"


def settings_text(settings: ProgressSettings) -> str:
    return (
        f"Streak freezes: **{settings.freezes_per_week}** per week\n"
        f"7-day streak role: {_role(settings.streak7_role_id)} · "
        f"30-day streak role: {_role(settings.streak30_role_id)} · "
        f"month's top three role: {_role(settings.top3_role_id)}"
    )


def _usable(role: discord.Role | None) -> int | None:
    if role is None:
        return None
    if role.is_default() or role.managed:
        raise UserError(
            f"{role.mention} can't be a milestone role: pick a role members can be given. "
            "Nothing was changed.",
            code="bad-role",
        )
    return role.id


class RewardsGroup(AdminGroup):
    def __init__(self, bot: StudyBot) -> None:
        super().__init__(
            name="rewards", description="Streak freezes, restores and milestone roles (admins)"
        )
        self.bot = bot

    @app_commands.command(name="restore-streak", description="Restore a member's broken streak")
    @app_commands.describe(member="Whose streak", reason="Why (kept in the audit log)")
    async def restore_streak(
        self,
        interaction: discord.Interaction[Any],
        member: discord.User,
        reason: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        guild_id = require_manage_guild(interaction)
        outcome = await self.bot.services.points.restore_streak(
            guild_id, actor_id=interaction.user.id, user_id=member.id, reason=reason
        )
        days = outcome.days
        span = days[0].isoformat() if len(days) == 1 else f"{days[0]} to {days[-1]}"
        await reply(
            interaction,
            f"✅ Restored {member.mention}'s streak: {len(days)} missed day"
            f"{'s' if len(days) != 1 else ''} ({span}) now count. Streak "
            f"{outcome.before} → **{outcome.after}** days. Logged in the audit trail.",
        )

    @app_commands.command(name="freezes", description="Streak freezes each member gets per week")
    @app_commands.describe(per_week=f"0 to {MAX_FREEZES_PER_WEEK} (default 1)")
    async def freezes(
        self,
        interaction: discord.Interaction[Any],
        per_week: app_commands.Range[int, 0, MAX_FREEZES_PER_WEEK],
    ) -> None:
        guild_id = require_manage_guild(interaction)
        settings = await self.bot.services.points.set_freezes(
            guild_id, actor_id=interaction.user.id, per_week=per_week
        )
        await reply(interaction, f"✅ Saved.\n{settings_text(settings)}")

    @app_commands.command(
        name="roles", description="Milestone roles; leave one out to turn that milestone off"
    )
    @app_commands.describe(
        streak_7="Given at a 7-day streak",
        streak_30="Given at a 30-day streak",
        month_top3="Held by last month's top three",
    )
    async def roles(
        self,
        interaction: discord.Interaction[Any],
        streak_7: discord.Role | None = None,
        streak_30: discord.Role | None = None,
        month_top3: discord.Role | None = None,
    ) -> None:
        guild_id = require_manage_guild(interaction)
        settings = await self.bot.services.points.set_milestone_roles(
            guild_id,
            actor_id=interaction.user.id,
            streak7=_usable(streak_7),
            streak30=_usable(streak_30),
            top3=_usable(month_top3),
        )
        await reply(
            interaction,
            f"✅ Saved. Members who hid themselves never get these roles.\n"
            f"{settings_text(settings)}",
        )

    @app_commands.command(name="show", description="Streak and milestone settings, recent changes")
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = require_manage_guild(interaction)
        settings = await self.bot.services.points.settings(guild_id)
        entries = await self.bot.services.points.audit(guild_id)
        lines = [settings_text(settings), "", "**Recent changes**"]
        lines += [
            f"<t:{int(e.created_at.timestamp())}:f> <@{e.actor_id}> {e.action.replace('_', ' ')}"
            + (f" for <@{e.target_id}>" if e.target_id else "")
            + (f" — {e.detail['reason']}" if e.detail.get("reason") else "")
            for e in entries
        ] or ["none yet"]
        await reply(interaction, "\n".join(lines)[:2000])
