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

if TYPE_CHECKING:
    from bot.services.answers import AnswerOutcome, AnswerService

log = logging.getLogger(__name__)

FIELDS_PER_EMBED: Final = 25
EMBEDS_PER_MESSAGE: Final = 10
AI_FEEDBACK_FOLLOWS: Final = "AI feedback will follow"
PENDING_INTRO: Final = "📬 Feedback on an earlier answer, graded after you left:"

_HOW_OFFLINE: Final = (
    "graded offline by matching the rubric's key ideas, not by judging correctness, and written "
    "in English"
)


def _back(fallback: Fallback) -> str:
    if fallback.resets_at is None:
        return "tomorrow"
    return f"<t:{int(fallback.resets_at.timestamp())}:R>"


def fallback_note(grade: Grade, fallback: Fallback | None) -> str | None:
    """Why this feedback is approximate, in words a member understands."""
    if fallback is None:
        if not grade.approximate:
            return None
        return (
            f"**Approximate**: no AI key is configured on this bot, so this answer was "
            f"{_HOW_OFFLINE}."
        )
    if fallback.reason == "member_limit":
        return (
            f"**Approximate**: you have used today's AI-graded answers, so this one was "
            f"{_HOW_OFFLINE}. AI grading is back for you {_back(fallback)}."
        )
    if fallback.reason == "guild_budget":
        return (
            f"**Approximate**: this server's daily AI grading budget is used up, so this answer "
            f"was {_HOW_OFFLINE}. AI grading is back {_back(fallback)}."
        )
    if fallback.reason == "claude_pending":
        return (
            f"**Approximate**: the AI grader is busy, so for now this answer was {_HOW_OFFLINE}. "
            f"{AI_FEEDBACK_FOLLOWS} by DM (or here, the next time you use the bot), and your "
            "points will follow its grade."
        )
    if fallback.reason == "claude_refused":
        return (
            f"**Approximate**: the AI grader could not grade this answer, so it was {_HOW_OFFLINE}."
        )
    return (
        f"**Approximate**: the AI grader stayed unavailable for a long time, so this answer was "
        f"{_HOW_OFFLINE}."
    )


def _pack(name: str, blocks: Sequence[str], separator: str) -> list[tuple[str, str]]:
    """Blocks into as few fields as fit 1024 characters each, never splitting a block."""
    fields: list[tuple[str, str]] = []
    current = ""
    for block in (clip(b, FIELD_LIMIT) for b in blocks if b):
        joined = f"{current}{separator}{block}" if current else block
        if len(joined) <= FIELD_LIMIT:
            current = joined
            continue
        fields.append((name if not fields else f"{name} (continued)", current))
        current = block
    if current:
        fields.append((name if not fields else f"{name} (continued)", current))
    return fields


def _criterion_block(grade: Grade, index: int) -> str:
    c = grade.criteria[index]
    lines = [f"**{escape_markdown(c.name)}** · {score_text(c.score, c.max)} · weight {c.weight}"]
    if c.evidence:
        quoted = escape_mentions(escape_markdown(" ".join(c.evidence.split())))
        lines.append(f"> “{quoted}”")
    if c.comment:
        lines.append(c.comment)
    return "\n".join(lines)


def _tests_fields(tests: RunEvidence | None) -> list[tuple[str, str]]:
    """What running the answer's code found, before the rubric that follows it."""
    if tests is None:
        return []
    if not tests.ran:
        reason = escape_mentions(tests.not_run or "no test ran")
        return [("Tests", f"Not run: {reason}. Graded from the answer's text alone.")]
    lines = [escape_mentions(escape_markdown(line)) for line in tests.summary]
    return _pack("Tests", ["\n".join(lines)], "\n")


def feedback_messages(
    question: Question,
    grade: Grade,
    *,
    points: int | None,
    resubmission: bool,
    fallback: Fallback | None = None,
) -> list[list[discord.Embed]]:
    """The feedback as one or more messages' embeds, each message within Discord's limits."""
    header = _header(grade, points=points, resubmission=resubmission, fallback=fallback)
    title = f"Feedback · {question.title}"
    main = discord.Embed(
        title=clip(title, TITLE_LIMIT), description="\n".join(header), colour=BRAND
    )
    if grade.model:
        main.set_footer(text=f"Graded by {grade.model}")
    else:
        main.set_footer(
            text="Graded offline (approximate)"
            if grade.approximate
            else f"Graded by {grade.grader}"
        )
    return _spread(title, main, _fields(grade))


def _header(
    grade: Grade, *, points: int | None, resubmission: bool, fallback: Fallback | None
) -> list[str]:
    """The lines above the rubric: the score, how it was graded, and the points."""
    header = [f"**Overall: {score_text(grade.overall, grade.max)}**"]
    note = fallback_note(grade, fallback)
    if note:
        header.append(note)
    if grade.injection_attempt:
        header.append(
            "_Instructions inside an answer are ignored; an answer that tries them earns the "
            "minimum points._"
        )
    if grade.hints_note:
        header.append(f"Hints: {escape_mentions(escape_markdown(grade.hints_note))}")
    if resubmission:
        header.append("Resubmitted: this answer replaces your earlier one.")
    if points is not None:
        header.append(f"Points for this answer: **{points_text(points)}**")
    return header


def _fields(grade: Grade) -> list[tuple[str, str]]:
    """The tests, the rubric and the advice, as (name, value) fields within the field limit."""
    fields = _tests_fields(grade.tests)
    fields += _pack(
        "Rubric", [_criterion_block(grade, i) for i in range(len(grade.criteria))], "\n\n"
    )
    fields += _pack("Strengths", [f"• {s}" for s in grade.strengths], "\n")
    fields += _pack("To improve", [f"• {s}" for s in grade.improvements], "\n")
    fields += _pack(
        "A strong answer would also cover", [f"• {s}" for s in grade.strong_answer_adds], "\n"
    )
    if grade.star is not None:
        star = grade.star
        fields += _pack(
            "STAR",
            [
                f"**Situation** {star.situation}",
                f"**Task** {star.task}",
                f"**Action** {star.action}",
                f"**Result** {star.result}",
                f"**I vs we** {star.ownership}",
            ],
            "\n",
        )
    return fields


def _spread(
    title: str, main: discord.Embed, fields: list[tuple[str, str]]
) -> list[list[discord.Embed]]:
    """The fields over as many embeds and messages as Discord's size and count limits need."""
    messages: list[list[discord.Embed]] = [[main]]
    embed, used = main, len(main)
    for name, value in fields:
        size = len(name) + len(value)
        if used + size > EMBED_TOTAL_LIMIT or (
            len(embed.fields) >= FIELDS_PER_EMBED and len(messages[-1]) >= EMBEDS_PER_MESSAGE
        ):
            embed = discord.Embed(title=clip(f"{title} (continued)", TITLE_LIMIT), colour=BRAND)
            messages.append([embed])
            used = len(embed)
        elif len(embed.fields) >= FIELDS_PER_EMBED:
            embed = discord.Embed(colour=BRAND)
            messages[-1].append(embed)
        embed.add_field(name=name, value=value, inline=False)
        used += size
    return messages


def delayed_embed(question: Question) -> discord.Embed:
    return discord.Embed(
        title=clip(f"Answer saved · {question.title}", TITLE_LIMIT),
        description="Your answer is saved. Feedback is delayed because the AI grader is busy or "
        "unavailable right now; it is retried in the background. I will DM you the feedback "
        "when it is ready, or show it to you here the next time you use the bot if your DMs "
        "are closed. There is no need to submit again.",
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
            embed=delayed_embed(outcome.question),
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
    return run_tests_view(outcome.answer.answer_id)


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
                item.question, item.grade, points=None, resubmission=False, fallback=item.fallback
            )
            for index, embeds in enumerate(messages):
                await interaction.followup.send(
                    PENDING_INTRO if index == 0 else "",
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
