"""A mock round's scorecard and the loop's committee packet, in the round's language, within
Discord's embed limits."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain.grading import Grade
from bot.domain.mock_loop import Packet, Reason, Score
from bot.i18n.messages import N_, ntr, number, tr
from bot.services.mocks.ports import PartScore, Scorecard
from bot.ui.embeds import (
    BRAND,
    EMBED_TOTAL_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    clip,
    round_text,
    score_text,
)
from bot.ui.mock_embeds import (
    END_REASONS,
    END_REASONS_BY,
    ITEM_LIMIT,
    SIGNAL_COLOURS,
    bullets,
    packed,
    signal_label,
)
from bot.ui.plural import points


def _criteria_lines(grade: Grade, locale: object) -> list[str]:
    lines = []
    for c in grade.criteria:
        line = f"**{c.name}**: {score_text(c.score, c.max, locale)}"
        if c.comment:
            line += f" — {clip(c.comment, ITEM_LIMIT)}"
        lines.append(line)
    return lines


def _tests_line(passed: int, total: int, locale: object) -> str:
    return tr(locale, "Tests on the final code: {passed}/{total}", passed=passed, total=total)


def _add_part_sections(embed: discord.Embed, parts: Sequence[PartScore], locale: object) -> None:
    """A phone screen's rubric: a section per question, with its own score and tests."""
    for n, part in enumerate(parts, start=1):
        name = clip(tr(locale, "Question {n} · {title}", n=n, title=part.question.title), 200)
        grade = part.grade
        if grade is None:
            embed.add_field(name=name, value=tr(locale, "Not answered: it scores 0."), inline=False)
            continue
        lines = [
            tr(
                locale,
                "**{score}** on this question",
                score=score_text(grade.overall, grade.max, locale),
            )
        ]
        if grade.tests is not None and grade.tests.ran:
            lines.append(_tests_line(grade.tests.passed, grade.tests.total, locale))
        lines.extend(_criteria_lines(grade, locale))
        for i, chunk in enumerate(packed(lines)):
            embed.add_field(
                name=name if i == 0 else tr(locale, "{name} (cont.)", name=name),
                value=chunk,
                inline=False,
            )


def _scorecard_header(card: Scorecard, locale: object) -> list[str]:
    grade = card.grade
    answers = ntr(locale, "{n} answer", "{n} answers", card.answers)
    header = [
        tr(
            locale,
            "**Overall: {score}** · {round} · {answers}",
            score=score_text(grade.overall, grade.max, locale),
            round=round_text(card.question.round, locale),
            answers=answers,
        ),
        tr(
            locale,
            "Hiring signal: **{signal}**",
            signal=signal_label(grade.hiring_signal, locale),
        ),
    ]
    if card.follows:
        header.append(
            "_"
            + tr(
                locale,
                "Approximate: the AI grader is unavailable right now, so this was scored "
                "offline by matching the rubric's key ideas. The AI scorecard will follow here, "
                "and its points replace these.",
            )
            + "_"
        )
    elif grade.approximate:
        header.append(
            "_"
            + tr(
                locale,
                "Approximate: scored offline by matching the rubric's key ideas, not by the AI "
                "grader.",
            )
            + "_"
        )
    if grade.tests is not None and grade.tests.ran and not card.parts:
        tests = grade.tests
        header.append(
            tr(
                locale,
                "Tests on the final code: **{passed}/{total} passed** ({percent}%)",
                passed=tests.passed,
                total=tests.total,
                percent=number(locale, round(100 * tests.passed / tests.total)),
            )
        )
    if card.points is not None:
        header.append(tr(locale, "Points: **+{points}**", points=points(card.points, locale)))
    else:
        header.append(tr(locale, "No points: a round earns points from its second answer on."))
    return header


def _footer_reason(card: Scorecard, locale: object) -> str:
    reason = card.mock.end_reason or ""
    if card.ended_by_name:
        if reason in END_REASONS_BY:
            return tr(locale, END_REASONS_BY[reason], name=card.ended_by_name)
        return tr(locale, "closed by {name}", name=card.ended_by_name)
    # i18n: how a mock round ended, in a scorecard's footer.
    return tr(locale, END_REASONS.get(reason, N_("closed")))


def scorecard_embed(card: Scorecard, locale: object = None) -> discord.Embed:
    grade = card.grade
    header = _scorecard_header(card, locale)
    title = (
        tr(locale, "Scorecard · Phone screen (2 questions)")
        if card.parts
        else tr(locale, "Scorecard · {title}", title=card.question.title)
    )
    embed = discord.Embed(
        title=clip(title, TITLE_LIMIT),
        description="\n".join(header),
        colour=SIGNAL_COLOURS.get(grade.hiring_signal or "", BRAND),
    )
    if card.parts:
        _add_part_sections(embed, card.parts, locale)
    else:
        for i, chunk in enumerate(packed(_criteria_lines(grade, locale))):
            # i18n: a scorecard's section with the score of each rubric criterion.
            name = tr(locale, "Rubric") if i == 0 else tr(locale, "Rubric (cont.)")
            embed.add_field(name=name, value=chunk, inline=False)
    embed.add_field(
        name=tr(locale, "Why this signal"), value=bullets(grade.hiring_reasons), inline=False
    )
    embed.add_field(name=tr(locale, "Strengths"), value=bullets(grade.strengths), inline=False)
    embed.add_field(name=tr(locale, "To improve"), value=bullets(grade.improvements), inline=False)
    if grade.star is not None:
        star = grade.star
        # i18n: the STAR method's parts (Situation, Task, Action, Result) as one-letter labels,
        # and whether the candidate said "I" or "we".
        embed.add_field(
            name=tr(locale, "STAR"),
            value=clip(
                tr(
                    locale,
                    "**S** {situation}\n**T** {task}\n**A** {action}\n**R** {result}\n"
                    "**I vs we** {ownership}",
                    situation=clip(star.situation, 180),
                    task=clip(star.task, 180),
                    action=clip(star.action, 180),
                    result=clip(star.result, 180),
                    ownership=clip(star.ownership, 180),
                ),
                FIELD_LIMIT,
            ),
            inline=False,
        )
    embed.set_footer(
        text=tr(
            locale,
            "Mock round #{round_id} · {reason} · graded by {grader}",
            round_id=card.mock.round_id,
            reason=_footer_reason(card, locale),
            grader=grade.grader,
        )
    )
    # The least important fields go first when the whole card would be too long.
    while len(embed) > EMBED_TOTAL_LIMIT and len(embed.fields) > 1:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def reason_text(reason: Reason, locale: object = None) -> str:
    """One of the committee's reasons in `locale`: its round labels and signals translated."""
    values: dict[str, object] = {}
    for name, value in reason.params.items():
        if isinstance(value, Score):
            values[name] = score_text(value.overall, value.max, locale)
        elif name == "signal":
            values[name] = signal_label(str(value), locale).lower()
        elif name in ("round", "first", "second"):
            values[name] = tr(locale, str(value))
        elif isinstance(value, int):
            values[name] = number(locale, value)
        else:
            values[name] = value
    return tr(locale, reason.text, **values)


def packet_embed(packet: Packet, locale: object = None) -> discord.Embed:
    embed = discord.Embed(
        title=tr(locale, "Hiring committee packet · onsite loop"),
        description=ntr(
            locale,
            "**Decision: {decision}** · average {score} across {n} round",
            "**Decision: {decision}** · average {score} across {n} rounds",
            len(packet.entries),
            decision=signal_label(packet.decision, locale),
            score=score_text(packet.average, packet.max, locale),
        ),
        colour=SIGNAL_COLOURS.get(packet.decision, BRAND),
    )
    lines = []
    for e in packet.entries:
        line = tr(
            locale,
            "**{round}** · {title}: {score} · {signal}",
            round=tr(locale, e.label),
            title=clip(e.title, 80),
            score=score_text(e.overall, e.max, locale),
            signal=signal_label(e.signal, locale).lower(),
        )
        lines.append(line + (f" · <#{e.thread_id}>" if e.thread_id else ""))
    for i, chunk in enumerate(packed(lines)):
        embed.add_field(
            name=tr(locale, "Rounds") if i == 0 else tr(locale, "Rounds (cont.)"),
            value=chunk,
            inline=False,
        )
    embed.add_field(
        name=tr(locale, "How the committee weighed it"),
        value=bullets([reason_text(r, locale) for r in packet.reasons]),
    )
    embed.set_footer(
        text=tr(
            locale,
            "Signals are averaged; a strong no anywhere caps the loop at no, and two no-side "
            "rounds cap it at lean no.",
        )
    )
    return embed
