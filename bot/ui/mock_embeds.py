"""Pure render functions for mock rounds: the opening, turns, scorecards, the committee packet
and the member's status, always within Discord's limits."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.content.schema import Question
from bot.domain.grading import Grade
from bot.domain.mock import MAX_TURN_CHARS, MockRound, phase_minutes
from bot.domain.mock.phone_screen import second_question_at
from bot.domain.mock_loop import LOOP_PLANS, TRACK_NAMES, LoopTrack, Packet
from bot.i18n.messages import ntr, tr
from bot.services.mocks.ports import InterviewerLine, LoopPlace, PartScore, Scorecard
from bot.services.mocks.results import MockStatus
from bot.ui.embeds import (
    BRAND,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    clip,
    round_label,
    score_text,
)
from bot.ui.mock_text import ANSWER_GUIDE
from bot.ui.plural import points

MESSAGE_LIMIT = 2000
ITEM_LIMIT = 250
SIGNAL_COLOURS = {
    "strong no": discord.Colour.dark_red(),
    "no": discord.Colour.red(),
    "lean no": discord.Colour.orange(),
    "lean yes": discord.Colour.gold(),
    "yes": discord.Colour.green(),
    "strong yes": discord.Colour.dark_green(),
}
_END_REASONS = {
    "ended": "ended with /mock end",
    "time_up": "closed when the time box ran out",
    "idle": "closed after going idle",
}


def signal_label(signal: str | None) -> str:
    return (signal or "none").capitalize()


def bullets(items: Sequence[str], limit: int = FIELD_LIMIT) -> str:
    lines: list[str] = []
    used = 0
    for item in items:
        line = f"• {clip(item, ITEM_LIMIT)}"
        if used + len(line) + 1 > limit:
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines) or "—"


def _packed(lines: Sequence[str]) -> list[str]:
    """Lines grouped into field values of at most 1024 characters each."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, FIELD_LIMIT)
        if current and len(current) + 1 + len(line) > FIELD_LIMIT:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def thread_name(round_name: str, display_name: str) -> str:
    return clip(f"Mock {round_label(round_name).lower()} · {display_name}", 100)


def opening_embed(
    mock: MockRound, question: Question, loop: LoopPlace | None, *, plain_messages: bool
) -> discord.Embed:
    heading = f"Mock {round_label(question.round).lower()}"
    if loop is not None:
        heading = f"Onsite loop {loop.position + 1}/{loop.total} · {loop.step.label}"
    elif mock.is_phone_screen:
        heading = "Phone screen · question 1 of 2"
    embed = discord.Embed(
        title=clip(f"{heading} · {question.title}", TITLE_LIMIT),
        description=clip(question.prompt, DESCRIPTION_LIMIT),
        colour=BRAND,
    )
    ends = int(mock.deadline.timestamp())
    box = f"{mock.time_box_minutes} min (ends <t:{ends}:t>, <t:{ends}:R>)"
    if mock.is_phone_screen:
        second = int(second_question_at(mock).timestamp())
        box += f"\nQuestion 2 comes at <t:{second}:t>, whatever the state of question 1."
    embed.add_field(name="Time box", value=box)
    embed.add_field(name="Difficulty", value=question.difficulty.capitalize())
    spans = phase_minutes(question.round, mock.time_box_minutes, phone_screen=mock.is_phone_screen)
    phases = " → ".join(f"{phase.label} ({start}–{end} min)" for phase, start, end in spans)
    embed.add_field(name="Phases", value=clip(phases, FIELD_LIMIT), inline=False)
    ways = f"Press **Respond** (up to {MAX_TURN_CHARS} characters), or mention me with your answer"
    ways += ", or simply write in this thread." if plain_messages else "."
    embed.add_field(
        name="How to answer",
        value=clip(f"{ANSWER_GUIDE[question.round]}\n{ways}", FIELD_LIMIT),
        inline=False,
    )
    embed.set_footer(
        text=f"Mock round #{mock.round_id} · I ask one follow-up per answer · "
        "/mock end for your scorecard"
    )
    return embed


def second_question_embed(mock: MockRound, question: Question) -> discord.Embed:
    """A phone screen's second question, asked at the halfway mark."""
    embed = discord.Embed(
        title=clip(f"Phone screen · question 2 of 2 · {question.title}", TITLE_LIMIT),
        description=clip(question.prompt, DESCRIPTION_LIMIT),
        colour=BRAND,
    )
    ends = int(mock.deadline.timestamp())
    embed.add_field(name="Time left", value=f"until <t:{ends}:t> (<t:{ends}:R>)")
    embed.add_field(name="Difficulty", value=question.difficulty.capitalize())
    embed.add_field(
        name="How to answer",
        value=clip(
            "Time to move on: the scorecard grades what you said about question 1 as it "
            f"stands. {ANSWER_GUIDE[question.round]}",
            FIELD_LIMIT,
        ),
        inline=False,
    )
    embed.set_footer(text=f"Mock round #{mock.round_id} · /mock end for your scorecard")
    return embed


def echo_embed(display_name: str, text: str) -> discord.Embed:
    embed = discord.Embed(
        description=clip(text, DESCRIPTION_LIMIT), colour=discord.Colour.blurple()
    )
    embed.set_author(name=clip(f"{display_name} answered", TITLE_LIMIT))
    return embed


def interviewer_content(line: InterviewerLine) -> str:
    footer = f"-# Answer {line.answers}/{line.max_answers} · ⏱ {line.minutes_left} min left"
    if line.is_last:
        footer += (
            f"\n**That was your last answer: a round takes {line.max_answers}.** "
            "Use `/mock end` in this thread for your scorecard."
        )
    if line.fallback:
        footer += (
            "\n-# The AI interviewer is unavailable right now, so this follow-up comes from the "
            "question's own list. Your answer is saved."
        )
    room = MESSAGE_LIMIT - len(footer) - 1
    return f"{clip(line.text, room)}\n{footer}"


def kept_text_embed(text: str, locale: object = None) -> discord.Embed:
    """A refused answer, handed back so nothing typed is lost."""
    return discord.Embed(
        title=tr(locale, "What you wrote (copy it to keep it)"),
        description=clip(text, DESCRIPTION_LIMIT),
        colour=discord.Colour.light_grey(),
    )


def _criteria_lines(grade: Grade) -> list[str]:
    lines = []
    for c in grade.criteria:
        line = f"**{c.name}**: {score_text(c.score, c.max)}"
        if c.comment:
            line += f" — {clip(c.comment, ITEM_LIMIT)}"
        lines.append(line)
    return lines


def _add_part_sections(embed: discord.Embed, parts: Sequence[PartScore]) -> None:
    """A phone screen's rubric: a section per question, with its own score and tests."""
    for n, part in enumerate(parts, start=1):
        name = clip(f"Question {n} · {part.question.title}", 200)
        grade = part.grade
        if grade is None:
            embed.add_field(name=name, value="Not answered: it scores 0.", inline=False)
            continue
        lines = [f"**{score_text(grade.overall, grade.max)}** on this question"]
        if grade.tests is not None and grade.tests.ran:
            lines.append(f"Tests on the final code: {grade.tests.passed}/{grade.tests.total}")
        lines.extend(_criteria_lines(grade))
        for i, chunk in enumerate(_packed(lines)):
            embed.add_field(name=name if i == 0 else f"{name} (cont.)", value=chunk, inline=False)


def _scorecard_header(card: Scorecard) -> list[str]:
    grade = card.grade
    answers = ntr(None, "{n} answer", "{n} answers", card.answers)
    header = [
        f"**Overall: {score_text(grade.overall, grade.max)}** · "
        f"{round_label(card.question.round)} · {answers}",
        f"Hiring signal: **{signal_label(grade.hiring_signal)}**",
    ]
    if card.follows:
        header.append(
            "_Approximate: the AI grader is unavailable right now, so this was scored offline "
            "by matching the rubric's key ideas. The AI scorecard will follow here, and its "
            "points replace these._"
        )
    elif grade.approximate:
        header.append(
            "_Approximate: scored offline by matching the rubric's key ideas, not by the AI "
            "grader._"
        )
    if grade.tests is not None and grade.tests.ran and not card.parts:
        tests = grade.tests
        header.append(
            f"Tests on the final code: **{tests.passed}/{tests.total} passed** "
            f"({tests.passed / tests.total:.0%})"
        )
    if card.points is not None:
        header.append(f"Points: **+{points(card.points)}**")
    else:
        header.append("No points: a round earns points from its second answer on.")
    return header


def scorecard_embed(card: Scorecard) -> discord.Embed:
    grade = card.grade
    header = _scorecard_header(card)
    title = "Phone screen (2 questions)" if card.parts else card.question.title
    embed = discord.Embed(
        title=clip(f"Scorecard · {title}", TITLE_LIMIT),
        description="\n".join(header),
        colour=SIGNAL_COLOURS.get(grade.hiring_signal or "", BRAND),
    )
    if card.parts:
        _add_part_sections(embed, card.parts)
    else:
        for i, chunk in enumerate(_packed(_criteria_lines(grade))):
            name = "Rubric" if i == 0 else "Rubric (cont.)"
            embed.add_field(name=name, value=chunk, inline=False)
    embed.add_field(name="Why this signal", value=bullets(grade.hiring_reasons), inline=False)
    embed.add_field(name="Strengths", value=bullets(grade.strengths), inline=False)
    embed.add_field(name="To improve", value=bullets(grade.improvements), inline=False)
    if grade.star is not None:
        star = grade.star
        embed.add_field(
            name="STAR",
            value=clip(
                f"**S** {clip(star.situation, 180)}\n**T** {clip(star.task, 180)}\n"
                f"**A** {clip(star.action, 180)}\n**R** {clip(star.result, 180)}\n"
                f"**I vs we** {clip(star.ownership, 180)}",
                FIELD_LIMIT,
            ),
            inline=False,
        )
    reason = _END_REASONS.get(card.mock.end_reason or "", "closed")
    if card.ended_by_name:
        reason = f"{reason} by {card.ended_by_name}"
    embed.set_footer(text=f"Mock round #{card.mock.round_id} · {reason} · graded by {grade.grader}")
    # The least important fields go first when the whole card would be too long.
    while len(embed) > EMBED_TOTAL_LIMIT and len(embed.fields) > 1:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def packet_embed(packet: Packet) -> discord.Embed:
    embed = discord.Embed(
        title="Hiring committee packet · onsite loop",
        description=(
            f"**Decision: {signal_label(packet.decision)}** · average "
            f"{score_text(packet.average, packet.max)} across {len(packet.entries)} rounds"
        ),
        colour=SIGNAL_COLOURS.get(packet.decision, BRAND),
    )
    lines = [
        f"**{e.label}** · {clip(e.title, 80)}: {score_text(e.overall, e.max)} · "
        f"{e.signal}" + (f" · <#{e.thread_id}>" if e.thread_id else "")
        for e in packet.entries
    ]
    for i, chunk in enumerate(_packed(lines)):
        embed.add_field(name="Rounds" if i == 0 else "Rounds (cont.)", value=chunk, inline=False)
    embed.add_field(name="How the committee weighed it", value=bullets(packet.reasons))
    embed.set_footer(
        text="Signals are averaged; a strong no anywhere caps the loop at no, and two no-side "
        "rounds cap it at lean no."
    )
    return embed


def started_text(mock: MockRound, loop: LoopPlace | None, rounds_today: int, limit: int) -> str:
    where = f"<#{mock.thread_id}>"
    what = f"loop round {loop.position + 1}/{loop.total} ({loop.step.label})" if loop else "round"
    if mock.is_phone_screen:
        what = "phone screen (two coding questions)"
    return (
        f"✅ Your mock {what} is ready in {where} ({mock.time_box_minutes} min). "
        f"Rounds started today: {rounds_today}/{limit}."
    )


def track_switched_text(track: LoopTrack) -> str:
    rounds = ", ".join(step.label for step in LOOP_PLANS[track])
    return f"🔀 Your loop is now on the **{TRACK_NAMES[track]}** track: {rounds}."


def status_embed(status: MockStatus) -> discord.Embed:
    embed = discord.Embed(title="Your mock interviews", colour=BRAND)
    current = status.current
    if current is not None:
        title = status.titles.get(current.question_id, current.question_id)
        embed.add_field(
            name="Now",
            value=clip(
                f"{f'<#{current.thread_id}>' if current.thread_id else 'Opening'} · "
                f"{round_label(current.round)} · {title}\n"
                f"{ntr(None, '{n} answer', '{n} answers', status.current_answers)} · "
                f"{status.current_minutes_left} min left",
                FIELD_LIMIT,
            ),
            inline=False,
        )
    else:
        embed.add_field(
            name="Now",
            value="No round running. `/mock start` picks a question; `/mock loop` runs the "
            "whole onsite loop.",
            inline=False,
        )
    embed.add_field(
        name="Today",
        value=f"{status.rounds_today}/{status.settings.daily_limit} rounds started",
    )
    loop = status.loop
    if loop is not None:
        by_position = {r.loop_position: r for r in status.loop_rounds}
        steps = []
        for position, step in enumerate(loop.plan):
            done = by_position.get(position)
            if done is None:
                steps.append(f"◻ {step.label}")
            elif done.grade is not None:
                steps.append(
                    f"✅ {step.label} {score_text(done.grade.overall, done.grade.max)} "
                    f"({done.grade.hiring_signal or '—'})"
                )
            else:
                steps.append(f"▶ {step.label}")
        embed.add_field(name="Onsite loop", value=" · ".join(steps), inline=False)
    if status.recent:
        lines = []
        for mock in status.recent:
            card = mock.grade
            score = f"{score_text(card.overall, card.max)} · {card.hiring_signal}" if card else ""
            title = clip(status.titles.get(mock.question_id, mock.question_id), 60)
            lines.append(f"{mock.local_date} · {round_label(mock.round)} · {title}: {score}")
        embed.add_field(name="Recent scorecards", value=bullets(lines), inline=False)
    embed.set_footer(
        text=f"Rounds close after {status.settings.idle_minutes} min without an answer."
    )
    return embed
