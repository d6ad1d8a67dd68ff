"""Pure render functions for the spend report and the limits, in the admin's language (the
replies are ephemeral: `interaction.locale`)."""

from __future__ import annotations

import discord

from bot.domain.cooldowns import RULES, CooldownKind
from bot.domain.spend import PRICES, GradingLimits
from bot.i18n.messages import N_, ntr, number, tr
from bot.services.grading import SpendPeriod, SpendReport
from bot.ui.embeds import BRAND, FIELD_LIMIT, clip

OPERATION_LABELS = {
    # i18n: a kind of AI call in the spend report: "`model` answer grades: 3 calls · …".
    "grade": N_("answer grades"),
    # i18n: a kind of AI call in the spend report.
    "scorecard": N_("mock scorecards"),
    # i18n: a kind of AI call in the spend report.
    "interview_turn": N_("interviewer turns"),
}
# What each cooldown is between, in `/grading cooldowns` (the rules' labels are English data).
COOLDOWN_PURPOSES: dict[CooldownKind, str] = {
    "answer": N_("time between two tries to submit an answer"),
    "mock_turn": N_("time between two tries to answer the interviewer"),
    "practice": N_("time between two tries to ask for a practice question"),
    "export": N_("time between two tries to export your data"),
    "chart": N_("time between two tries to draw the progress chart"),
    "code_run": N_("time between two tries to run the tests"),
}


def dollars(amount: float) -> str:
    return f"${amount:,.2f}" if amount >= 1 else f"${amount:.4f}"


def limits_text(limits: GradingLimits, locale: object = None) -> str:
    source = tr(locale, "set by an admin") if limits.customised else tr(locale, "the defaults")
    return "\n".join(
        (
            tr(
                locale,
                "• Per member: **{answers}** AI-graded answers a day",
                answers=number(locale, limits.member_daily_answers),
            ),
            tr(
                locale,
                "• Whole server: **{tokens}** tokens a day",
                tokens=number(locale, limits.guild_daily_tokens),
            ),
            tr(
                locale,
                "({source}). Past a limit, answers are still saved and graded at once by the "
                "offline grader, labelled approximate. The day is the daily question's timezone "
                "(UTC until `/daily setup`).",
                source=source,
            ),
        )
    )


def cooldowns_text(seconds: dict[CooldownKind, int], locale: object = None) -> str:
    lines = []
    for kind, rule in RULES.items():
        value = (
            tr(locale, "**{seconds} s**", seconds=number(locale, seconds[kind]))
            if seconds[kind]
            # i18n: a cooldown that is turned off.
            else tr(locale, "**off**")
        )
        purpose = tr(locale, COOLDOWN_PURPOSES[kind])
        if seconds[kind] == rule.default_seconds:
            line = tr(
                locale, "• `{kind}`: {value}: {purpose}", kind=kind, value=value, purpose=purpose
            )
        else:
            line = tr(
                locale,
                "• `{kind}`: {value} (default {default} s): {purpose}",
                kind=kind,
                value=value,
                default=number(locale, rule.default_seconds),
                purpose=purpose,
            )
        lines.append(line)
    lines.append(tr(locale, "Per member. Set one with `/grading cooldowns action seconds`."))
    return "\n".join(lines)


def _period_line(period: SpendPeriod, locale: object) -> str:
    if not period.calls:
        return tr(locale, "no AI calls")
    text = tr(
        locale,
        "{calls} · {tokens} · ≈ {cost}",
        calls=ntr(locale, "{n} call", "{n} calls", period.calls),
        tokens=ntr(locale, "{n} token", "{n} tokens", period.tokens),
        cost=dollars(period.cost_usd),
    )
    if period.unpriced_models:
        text += " " + tr(
            locale,
            "(no price known for {models})",
            models=", ".join(period.unpriced_models),
        )
    return text


def _budget_line(report: SpendReport, locale: object) -> str:
    budget = report.limits.guild_daily_tokens
    resets = f"<t:{int(report.today.end.timestamp())}:R>"
    used = number(locale, report.tokens_today)
    return (
        tr(
            locale,
            "Budget: {used} / {budget} tokens ({share}) · resets {when}",
            used=used,
            budget=number(locale, budget),
            share=f"{report.tokens_today / budget:.0%}",
            when=resets,
        )
        if budget
        else tr(
            locale,
            "Budget: {used} / {budget} tokens · resets {when}",
            used=used,
            budget=number(locale, budget),
            when=resets,
        )
    )


def _model_lines(month: SpendPeriod, locale: object) -> list[str]:
    return [
        tr(
            locale,
            "`{model}` {kind}: {calls} · in {input} · out {output} · cache read {cache_read} · "
            "cache write {cache_write}",
            model=line.model,
            kind=tr(locale, OPERATION_LABELS[line.operation])
            if line.operation in OPERATION_LABELS
            else line.operation,
            calls=ntr(locale, "{n} call", "{n} calls", line.calls),
            input=number(locale, line.usage.input_tokens),
            output=number(locale, line.usage.output_tokens),
            cache_read=number(locale, line.usage.cache_read_tokens),
            cache_write=number(locale, line.usage.cache_write_tokens),
        )
        + (f" · ≈ {dollars(line.cost_usd)}" if line.cost_usd is not None else "")
        for line in month.lines
    ]


def spend_embed(report: SpendReport, *, offline: bool, locale: object = None) -> discord.Embed:
    prices = "; ".join(
        tr(
            locale,
            "{model} {input} in / {output} out",
            model=model,
            input=f"${p.input:.2f}",
            output=f"${p.output:.2f}",
        )
        for model, p in PRICES.items()
    )
    description = tr(
        locale,
        "Estimated from the usage recorded for every AI call (prices per million tokens: "
        "{prices}; cache reads at 10% and cache writes at 125% of input). The provider's bill "
        "is the authority.",
        prices=prices,
    )
    if offline:
        description += "\n" + tr(
            locale, "No API key is configured: answers are graded offline, at no cost."
        )
    embed = discord.Embed(
        title=tr(locale, "AI grading · spend"), description=description, colour=BRAND
    )
    today, week, month = report.periods
    embed.add_field(
        name=tr(
            locale,
            "Today ({date}, {timezone})",
            date=report.today.local_date,
            timezone=report.timezone,
        ),
        value=f"{_period_line(today, locale)}\n{_budget_line(report, locale)}",
        inline=False,
    )
    embed.add_field(name=tr(locale, week.label), value=_period_line(week, locale), inline=False)
    embed.add_field(name=tr(locale, month.label), value=_period_line(month, locale), inline=False)
    lines = _model_lines(month, locale)
    if lines:
        embed.add_field(
            name=tr(locale, "Last 30 days by model and kind"),
            value=clip("\n".join(lines), FIELD_LIMIT),
            inline=False,
        )
    if report.top_members_today:
        embed.add_field(
            name=tr(locale, "Most tokens today"),
            value="\n".join(
                f"<@{user}> — {number(locale, tokens)}" for user, tokens in report.top_members_today
            ),
            inline=False,
        )
    embed.add_field(
        name=tr(locale, "Limits"), value=limits_text(report.limits, locale), inline=False
    )
    return embed
