"""Pure render functions for the spend report and the limits."""

from __future__ import annotations

import discord

from bot.domain.cooldowns import RULES, CooldownKind
from bot.domain.spend import PRICES, GradingLimits
from bot.services.grading import SpendPeriod, SpendReport
from bot.ui.embeds import BRAND, FIELD_LIMIT, clip

OPERATION_LABELS = {
    "grade": "answer grades",
    "scorecard": "mock scorecards",
    "interview_turn": "interviewer turns",
}


def dollars(amount: float) -> str:
    return f"${amount:,.2f}" if amount >= 1 else f"${amount:.4f}"


def limits_text(limits: GradingLimits) -> str:
    source = "set by an admin" if limits.customised else "the defaults"
    return (
        f"• Per member: **{limits.member_daily_answers}** AI-graded answers a day\n"
        f"• Whole server: **{limits.guild_daily_tokens:,}** tokens a day\n"
        f"({source}). Past a limit, answers are still saved and graded at once by the offline "
        "grader, labelled approximate. The day is the daily question's timezone (UTC until "
        "`/daily setup`)."
    )


def cooldowns_text(seconds: dict[CooldownKind, int]) -> str:
    lines = []
    for kind, rule in RULES.items():
        value = f"**{seconds[kind]} s**" if seconds[kind] else "**off**"
        default = (
            "" if seconds[kind] == rule.default_seconds else f" (default {rule.default_seconds} s)"
        )
        lines.append(f"• `{kind}`: {value}{default}: time between two tries to {rule.label}")
    return "\n".join(lines) + "\nPer member. Set one with `/grading cooldowns action seconds`."


def _period_line(period: SpendPeriod) -> str:
    if not period.calls:
        return "no AI calls"
    text = f"{period.calls} calls · {period.tokens:,} tokens · ≈ {dollars(period.cost_usd)}"
    if period.unpriced_models:
        text += f" (no price known for {', '.join(period.unpriced_models)})"
    return text


def spend_embed(report: SpendReport, *, offline: bool) -> discord.Embed:
    prices = "; ".join(
        f"{model} ${p.input:.2f} in / ${p.output:.2f} out" for model, p in PRICES.items()
    )
    description = (
        f"Estimated from the usage recorded for every AI call (prices per million tokens: "
        f"{prices}; cache reads at 10% and cache writes at 125% of input). The provider's bill "
        "is the authority."
    )
    if offline:
        description += "\nNo API key is configured: answers are graded offline, at no cost."
    embed = discord.Embed(title="AI grading · spend", description=description, colour=BRAND)
    today, week, month = report.periods
    budget = report.limits.guild_daily_tokens
    share = f" ({report.tokens_today / budget:.0%})" if budget else ""
    embed.add_field(
        name=f"Today ({report.today.local_date}, {report.timezone})",
        value=f"{_period_line(today)}\nBudget: {report.tokens_today:,} / {budget:,} tokens"
        f"{share} · resets <t:{int(report.today.end.timestamp())}:R>",
        inline=False,
    )
    embed.add_field(name=week.label, value=_period_line(week), inline=False)
    embed.add_field(name=month.label, value=_period_line(month), inline=False)
    lines = [
        f"`{line.model}` {OPERATION_LABELS.get(line.operation, line.operation)}: {line.calls} "
        f"calls · in {line.usage.input_tokens:,} · out {line.usage.output_tokens:,} · cache "
        f"read {line.usage.cache_read_tokens:,} · cache write {line.usage.cache_write_tokens:,}"
        + (f" · ≈ {dollars(line.cost_usd)}" if line.cost_usd is not None else "")
        for line in month.lines
    ]
    if lines:
        embed.add_field(
            name="Last 30 days by model and kind",
            value=clip("\n".join(lines), FIELD_LIMIT),
            inline=False,
        )
    if report.top_members_today:
        embed.add_field(
            name="Most tokens today",
            value="\n".join(f"<@{user}> — {tokens:,}" for user, tokens in report.top_members_today),
            inline=False,
        )
    embed.add_field(name="Limits", value=limits_text(report.limits), inline=False)
    return embed
