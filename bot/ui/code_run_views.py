"""The Run tests button under a coding answer's feedback, and the private results it shows."""

from __future__ import annotations

import json
from typing import Any

import discord

from bot.host import bot_of
from bot.i18n.messages import N_, ntr, number, tr
from bot.runner.report import CaseResult, summary
from bot.runner.toolchains import LABELS
from bot.services.code_runs import CodeRun
from bot.ui.buttons import KeyedButton
from bot.ui.cooldowns import throttle
from bot.ui.embeds import clip
from bot.ui.replies import NO_PINGS, server_of
from bot.ui.run_summary import lines_text

SHOWN_CHARS = 160
PASSED_COLOUR = discord.Colour.green()
FAILED_COLOUR = discord.Colour.red()


class RunTestsButton(KeyedButton, prefix="code:run", key=r"\d{1,20}"):
    button_label = N_("Run tests")
    button_emoji = "▶️"
    button_style = discord.ButtonStyle.secondary

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = server_of(interaction)
        answer_id = self.number
        await throttle(interaction, "code_run")
        await interaction.response.defer(ephemeral=True, thinking=True)

        locale = interaction.locale

        async def queued(position: int) -> None:
            await interaction.followup.send(
                tr(
                    locale,
                    "⏳ Every sandbox is busy: your run is number {position} in line and starts "
                    "by itself.",
                    position=number(locale, position),
                ),
                ephemeral=True,
            )

        run = await bot_of(interaction).services.code_runs.run_answer(
            guild_id, interaction.user.id, answer_id, on_queued=queued
        )
        await interaction.followup.send(
            embed=run_embed(run, locale), ephemeral=True, allowed_mentions=NO_PINGS
        )


CODE_RUN_DYNAMIC_ITEMS = (RunTestsButton,)


def run_tests_view(answer_id: int, locale: object = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(RunTestsButton(answer_id, locale))
    return view


def run_embed(run: CodeRun, locale: object = None) -> discord.Embed:
    """The results, in the member's language (`locale`)."""
    report = run.report
    lines = lines_text(summary(report), locale)
    visible = [case for case in report.cases if not case.hidden]
    if visible and not report.load_error:
        lines += [
            "",
            tr(locale, "**Visible tests**"),
            *(_visible_line(case, locale) for case in visible),
        ]
    embed = discord.Embed(
        title=clip(tr(locale, "Tests · {title}", title=run.question.title), 256),
        description=clip("\n".join(lines), 4000),
        colour=PASSED_COLOUR if report.verdict == "passed" else FAILED_COLOUR,
    )
    embed.set_footer(
        text=ntr(
            locale,
            "{language} · {n} test run left today · only you see this",
            "{language} · {n} test runs left today · only you see this",
            run.runs_left,
            language=LABELS[run.language],
        )
    )
    return embed


# Why a visible test case failed, in the Run tests results ("❌ case: timeout").
CASE_STATES = {
    # i18n: a test case went over its time limit.
    "timeout": N_("timeout"),
    # i18n: a test case ran out of memory.
    "memory": N_("memory"),
    # i18n: a test case printed more than allowed.
    "output_limit": N_("output limit"),
    # i18n: a test case raised an error.
    "error": N_("error"),
}


def _visible_line(case: CaseResult, locale: object) -> str:
    took = (
        " · " + tr(locale, "{ms} ms", ms=number(locale, round(case.time_ms)))
        if case.time_ms is not None
        else ""
    )
    if case.status == "passed":
        return f"✅ {case.name}{took}"
    if case.status == "not_run":
        return "⏭️ " + tr(locale, "{case}: not run", case=case.name)
    if case.status != "failed":
        state = CASE_STATES.get(case.status)
        shown = tr(locale, state) if state else case.status.replace("_", " ")
        return f"❌ {case.name}: {shown}{took}"
    got, expected = _short(case.got), _short(case.expected)
    return "\n  ".join(
        (
            f"❌ {case.name}{took}",
            tr(locale, "expected `{value}`", value=expected),
            tr(locale, "got `{value}`", value=got),
        )
    )


def _short(value: Any) -> str:
    text = json.dumps(value).replace("`", "'")
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
