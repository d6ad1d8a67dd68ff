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
from bot.i18n.messages import N_, day, ntr, number, tr
from bot.ui.replies import reply

if TYPE_CHECKING:
    from bot.host import StudyBot


# The audit log's actions (stored in English), as `/daily rewards show` lists them.
AUDIT_ACTIONS = {
    "streak_restore": N_("streak restore"),
    "set_freezes": N_("set freezes"),
    "set_milestone_roles": N_("set milestone roles"),
}


def _role(role_id: int | None, locale: object) -> str:
    # i18n: a milestone role that is turned off.
    return f"<@&{role_id}>" if role_id else tr(locale, "off")


def settings_text(settings: ProgressSettings, locale: object = None) -> str:
    return "\n".join(
        (
            tr(
                locale,
                "Streak freezes: **{freezes}** per week",
                freezes=number(locale, settings.freezes_per_week),
            ),
            tr(
                locale,
                "7-day streak role: {streak7} · 30-day streak role: {streak30} · month's top "
                "three role: {top3}",
                streak7=_role(settings.streak7_role_id, locale),
                streak30=_role(settings.streak30_role_id, locale),
                top3=_role(settings.top3_role_id, locale),
            ),
        )
    )


def _usable(role: discord.Role | None) -> int | None:
    if role is None:
        return None
    if role.is_default() or role.managed:
        raise UserError(
            "{role} can't be a milestone role: pick a role members can be given. "
            "Nothing was changed.",
            code="bad-role",
            role=role.mention,
        )
    return role.id


class RewardsGroup(
    AdminGroup,
    name="rewards",
    description="Streak freezes, restores and milestone roles (admins)",
):
    def __init__(self, bot: StudyBot) -> None:
        super().__init__()
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
        locale = interaction.locale
        days = outcome.days
        span = (
            day(locale, days[0])
            if len(days) == 1
            else tr(
                locale, "{first} to {last}", first=day(locale, days[0]), last=day(locale, days[-1])
            )
        )
        await reply(
            interaction,
            ntr(
                locale,
                "✅ Restored {member}'s streak: {n} missed day ({span}) now counts. Streak "
                "{before} → **{after}** days. Logged in the audit trail.",
                "✅ Restored {member}'s streak: {n} missed days ({span}) now count. Streak "
                "{before} → **{after}** days. Logged in the audit trail.",
                len(days),
                member=member.mention,
                span=span,
                before=number(locale, outcome.before),
                after=number(locale, outcome.after),
            ),
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
        await reply(
            interaction,
            tr(interaction.locale, "✅ Saved.")
            + "\n"
            + settings_text(settings, interaction.locale),
        )

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
            tr(interaction.locale, "✅ Saved. Members who hid themselves never get these roles.")
            + "\n"
            + settings_text(settings, interaction.locale),
        )

    @app_commands.command(name="show", description="Streak and milestone settings, recent changes")
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = require_manage_guild(interaction)
        settings = await self.bot.services.points.settings(guild_id)
        entries = await self.bot.services.points.audit(guild_id)
        locale = interaction.locale
        lines = [settings_text(settings, locale), "", tr(locale, "**Recent changes**")]
        lines += [
            f"<t:{int(e.created_at.timestamp())}:f> <@{e.actor_id}> "
            + (
                tr(locale, AUDIT_ACTIONS[e.action])
                if e.action in AUDIT_ACTIONS
                else e.action.replace("_", " ")
            )
            + (" " + tr(locale, "for {member}", member=f"<@{e.target_id}>") if e.target_id else "")
            + (f" — {e.detail['reason']}" if e.detail.get("reason") else "")
            for e in entries
        ] or [tr(locale, "none yet")]
        await reply(interaction, "\n".join(lines)[:2000])
