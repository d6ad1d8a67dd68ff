"""Feedback on an answer: rendered within Discord's limits, and delivered exactly once.

Limits: a field value holds 1024 characters, an embed 25 fields, a message 10 embeds and 6000
characters across all of them. Long feedback (many criteria, long comments and quotes) is split
into several fields, embeds and, when needed, messages; nothing is cut except a single block
longer than a field.

Delivery: feedback is shown in the reply the member waits on; when it was not ready in time it
goes by DM, and when that fails (closed DMs) it is shown, ephemerally, the next time the member
uses the bot. Each grade is claimed in the database before it is sent, so two replies never
show the same feedback twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.content.schema import Question
from bot.domain.code_tests import RunEvidence
from bot.domain.grading import Grade
from bot.domain.spend import Fallback
from bot.host import bot_of
from bot.i18n.messages import N_, tr
from bot.ui.code_run_views import run_tests_view
from bot.ui.embeds import (
    BRAND,
    EMBED_TOTAL_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    clip,
    score_text,
)
from bot.ui.plural import points as points_text
from bot.ui.replies import NO_PINGS
from bot.ui.run_summary import evidence_lines

if TYPE_CHECKING:
    from bot.services.answers import AnswerOutcome, AnswerService

log = logging.getLogger(__name__)

FIELDS_PER_EMBED: Final = 25
EMBEDS_PER_MESSAGE: Final = 10
PENDING_INTRO: Final = N_("📬 Feedback on an earlier answer, graded after you left:")

# Why the offline grader stood in, by the fallback's reason ({back}: when AI grading returns).
_APPROXIMATE: Final[dict[str | None, str]] = {
    None: N_(
        "**Approximate**: no AI key is configured on this bot, so this answer was graded "
        "offline by matching the rubric's key ideas, not by judging correctness."
    ),
    "member_limit": N_(
        "**Approximate**: you have used today's AI-graded answers, so this one was graded "
        "offline by matching the rubric's key ideas, not by judging correctness. AI grading is "
        "back for you {back}."
    ),
    "guild_budget": N_(
        "**Approximate**: this server's daily AI grading budget is used up, so this answer was "
        "graded offline by matching the rubric's key ideas, not by judging correctness. AI "
        "grading is back {back}."
    ),
    "claude_pending": N_(
        "**Approximate**: the AI grader is busy, so for now this answer was graded offline by "
        "matching the rubric's key ideas, not by judging correctness. AI feedback will follow "
        "by DM (or here, the next time you use the bot), and your points will follow its grade."
    ),
    "claude_refused": N_(
        "**Approximate**: the AI grader could not grade this answer, so it was graded offline "
        "by matching the rubric's key ideas, not by judging correctness."
    ),
}
_APPROXIMATE_LONG_OUTAGE: Final = N_(
    "**Approximate**: the AI grader stayed unavailable for a long time, so this answer was "
    "graded offline by matching the rubric's key ideas, not by judging correctness."
)


def _back(fallback: Fallback, locale: object) -> str:
    if fallback.resets_at is None:
        return tr(locale, "tomorrow")
    return f"<t:{int(fallback.resets_at.timestamp())}:R>"


def fallback_note(grade: Grade, fallback: Fallback | None, locale: object = None) -> str | None:
    """Why this feedback is approximate, in words a member understands."""
    if fallback is None and not grade.approximate:
        return None
    reason = fallback.reason if fallback is not None else None
    text = _APPROXIMATE.get(reason, _APPROXIMATE_LONG_OUTAGE)
    if fallback is not None and "{back}" in text:
        return tr(locale, text, back=_back(fallback, locale))
    return tr(locale, text)


def _pack(
    name: str, blocks: Sequence[str], separator: str, locale: object = None
) -> list[tuple[str, str]]:
    """Blocks into as few fields as fit 1024 characters each, never splitting a block."""
    fields: list[tuple[str, str]] = []
    current = ""
    more = tr(locale, "{heading} (continued)", heading=name)
    for block in (clip(b, FIELD_LIMIT) for b in blocks if b):
        joined = f"{current}{separator}{block}" if current else block
        if len(joined) <= FIELD_LIMIT:
            current = joined
            continue
        fields.append((name if not fields else more, current))
        current = block
    if current:
        fields.append((name if not fields else more, current))
    return fields


def _criterion_block(grade: Grade, index: int, locale: object) -> str:
    c = grade.criteria[index]
    lines = [
        tr(
            locale,
            "**{criterion}** · {score} · weight {weight}",
            criterion=escape_markdown(c.name),
            score=score_text(c.score, c.max, locale),
            weight=c.weight,
        )
    ]
    if c.evidence:
        quoted = escape_mentions(escape_markdown(" ".join(c.evidence.split())))
        lines.append(f"> “{quoted}”")
    if c.comment:
        lines.append(c.comment)
    return "\n".join(lines)


def _tests_fields(tests: RunEvidence | None, locale: object) -> list[tuple[str, str]]:
    """What running the answer's code found, before the rubric that follows it."""
    heading = tr(locale, "Tests")
    if tests is None:
        return []
    if not tests.ran:
        # A reason marked for the catalog shows translated; one with details, as written.
        reason = escape_mentions(
            tr(locale, tests.not_run) if tests.not_run else tr(locale, "no test ran")
        )
        text = tr(locale, "Not run: {reason}. Graded from the answer's text alone.", reason=reason)
        return [(heading, text)]
    lines = [escape_mentions(escape_markdown(line)) for line in evidence_lines(tests, locale)]
    return _pack(heading, ["\n".join(lines)], "\n", locale)


def _header(
    grade: Grade,
    points: int | None,
    resubmission: bool,
    fallback: Fallback | None,
    locale: object,
) -> list[str]:
    overall = score_text(grade.overall, grade.max, locale)
    header = [tr(locale, "**Overall: {score}**", score=overall)]
    note = fallback_note(grade, fallback, locale)
    if note:
        header.append(note)
    if grade.injection_attempt:
        header.append(
            tr(
                locale,
                "_Instructions inside an answer are ignored; an answer that tries them earns the "
                "minimum points._",
            )
        )
    if grade.hints_note:
        hints = escape_mentions(escape_markdown(grade.hints_note))
        header.append(tr(locale, "Hints: {hints}", hints=hints))
    if resubmission:
        header.append(tr(locale, "Resubmitted: this answer replaces your earlier one."))
    if points is not None:
        earned = points_text(points, locale)
        header.append(tr(locale, "Points for this answer: **{points}**", points=earned))
    return header


def _footer(grade: Grade, locale: object) -> str:
    if grade.model:
        return tr(locale, "Graded by {grader}", grader=grade.model)
    if grade.approximate:
        return tr(locale, "Graded offline (approximate)")
    return tr(locale, "Graded by {grader}", grader=grade.grader)


def _fields(grade: Grade, locale: object) -> list[tuple[str, str]]:
    """The sections under the header; the criteria's names stay in the pack's language."""
    fields = _tests_fields(grade.tests, locale)
    criteria = [_criterion_block(grade, i, locale) for i in range(len(grade.criteria))]
    fields += _pack(tr(locale, "Rubric"), criteria, "\n\n", locale)
    fields += _pack(tr(locale, "Strengths"), [f"• {s}" for s in grade.strengths], "\n", locale)
    fields += _pack(tr(locale, "To improve"), [f"• {s}" for s in grade.improvements], "\n", locale)
    fields += _pack(
        tr(locale, "A strong answer would also cover"),
        [f"• {s}" for s in grade.strong_answer_adds],
        "\n",
        locale,
    )
    if grade.star is not None:
        star = grade.star
        fields += _pack(
            tr(locale, "STAR"),
            [
                tr(locale, "**Situation** {text}", text=star.situation),
                tr(locale, "**Task** {text}", text=star.task),
                tr(locale, "**Action** {text}", text=star.action),
                tr(locale, "**Result** {text}", text=star.result),
                tr(locale, "**I vs we** {text}", text=star.ownership),
            ],
            "\n",
            locale,
        )
    return fields


def feedback_messages(
    question: Question,
    grade: Grade,
    *,
    points: int | None,
    resubmission: bool,
    fallback: Fallback | None = None,
    locale: object = None,
) -> list[list[discord.Embed]]:
    """The feedback as one or more messages' embeds, each message within Discord's limits, in
    `locale`'s language (the member's)."""
    header = _header(grade, points, resubmission, fallback, locale)
    title = tr(locale, "Feedback · {title}", title=question.title_in(locale))
    main = discord.Embed(
        title=clip(title, TITLE_LIMIT), description="\n".join(header), colour=BRAND
    )
    main.set_footer(text=_footer(grade, locale))
    fields = _fields(grade, locale)
    continued = tr(locale, "{heading} (continued)", heading=title)

    messages: list[list[discord.Embed]] = [[main]]
    embed, used = main, len(main)
    for name, value in fields:
        size = len(name) + len(value)
        if used + size > EMBED_TOTAL_LIMIT or (
            len(embed.fields) >= FIELDS_PER_EMBED and len(messages[-1]) >= EMBEDS_PER_MESSAGE
        ):
            embed = discord.Embed(title=clip(continued, TITLE_LIMIT), colour=BRAND)
            messages.append([embed])
            used = len(embed)
        elif len(embed.fields) >= FIELDS_PER_EMBED:
            embed = discord.Embed(colour=BRAND)
            messages[-1].append(embed)
        embed.add_field(name=name, value=value, inline=False)
        used += size
    return messages


def delayed_embed(question: Question, locale: object = None) -> discord.Embed:
    return discord.Embed(
        title=clip(
            tr(locale, "Answer saved · {title}", title=question.title_in(locale)), TITLE_LIMIT
        ),
        description=tr(
            locale,
            "Your answer is saved. Feedback is delayed because the AI grader is busy or "
            "unavailable right now; it is retried in the background. I will DM you the feedback "
            "when it is ready, or show it to you here the next time you use the bot if your DMs "
            "are closed. There is no need to submit again.",
        ),
        colour=discord.Colour.orange(),
    )


def _answers(interaction: discord.Interaction[Any]) -> AnswerService:
    return bot_of(interaction).services.answers


async def send_answer_outcome(
    interaction: discord.Interaction[Any], outcome: AnswerOutcome
) -> None:
    """The reply to a submitted answer (after a defer), then any feedback still owed."""
    run_view = _run_tests_view(interaction, outcome) or discord.utils.MISSING
    if outcome.grade is None:
        await interaction.followup.send(
            embed=delayed_embed(outcome.question, interaction.locale),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
            view=run_view,
        )
    else:
        messages = feedback_messages(
            outcome.question,
            outcome.grade,
            points=outcome.points,
            resubmission=outcome.resubmission,
            fallback=outcome.fallback,
            locale=interaction.locale,
        )
        try:
            for number, embeds in enumerate(messages, 1):
                last = run_view if number == len(messages) else discord.utils.MISSING
                await interaction.followup.send(
                    embeds=embeds, ephemeral=True, allowed_mentions=NO_PINGS, view=last
                )
        except discord.HTTPException as exc:
            # The grade is saved: it is offered again the next time the member uses the bot.
            log.warning("feedback reply for answer %s failed: %s", outcome.answer.answer_id, exc)
            await _answers(interaction).release_feedback(outcome.answer)
            return
    await send_pending_feedback(interaction)


def _run_tests_view(
    interaction: discord.Interaction[Any], outcome: AnswerOutcome
) -> discord.ui.View | None:
    """The Run tests button, under the feedback on a coding answer whose question has tests."""
    question_id = outcome.question.id
    if outcome.question.round != "coding":
        return None
    if not bot_of(interaction).services.code_runs.has_tests(question_id):
        return None
    return run_tests_view(outcome.answer.answer_id, interaction.locale)


async def send_pending_feedback(interaction: discord.Interaction[Any]) -> None:
    """Show the member feedback that was graded after they stopped waiting and that no DM
    carried, as extra ephemeral followups to an interaction already answered. Never raises:
    it rides along on other commands and must not break them."""
    response = interaction.response
    if interaction.guild_id is None or not response.is_done():
        return
    if response.type is discord.InteractionResponseType.modal:
        return  # a modal is not a message: followups to it are refused
    answers = _answers(interaction)
    try:
        pending = await answers.claim_pending_feedback(interaction.guild_id, interaction.user.id)
    except Exception:
        log.warning("could not look up pending feedback", exc_info=True)
        return
    for item in pending:
        try:
            messages = feedback_messages(
                item.question,
                item.grade,
                points=None,
                resubmission=False,
                fallback=item.fallback,
                locale=interaction.locale,
            )
            for index, embeds in enumerate(messages):
                await interaction.followup.send(
                    tr(interaction.locale, PENDING_INTRO) if index == 0 else "",
                    embeds=embeds,
                    ephemeral=True,
                    allowed_mentions=NO_PINGS,
                )
        except Exception as exc:
            log.warning("pending feedback for answer %s failed: %s", item.answer.answer_id, exc)
            try:
                await answers.release_feedback(item.answer)
            except Exception:
                log.warning("could not release feedback %s", item.answer.answer_id, exc_info=True)
