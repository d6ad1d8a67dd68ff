"""Pure render functions for mock rounds: the opening, turns, scorecards, the committee packet
and the member's status, always within Discord's limits. What is posted in a round's thread is
in the round's language (the server's, chosen when it started: `MockRound.locale`); what only the
member sees (their status, the replies to their commands) in their own."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.content.schema import Question
from bot.domain.grading import Grade
from bot.domain.mock import MAX_TURN_CHARS, MockRound, phase_minutes
from bot.domain.mock.phone_screen import second_question_at
from bot.domain.mock_loop import LOOP_PLANS, TRACK_NAMES, LoopTrack, Packet, Reason, Score
from bot.i18n.messages import N_, ntr, number, tr
from bot.services.mocks.ports import InterviewerLine, LoopPlace, PartScore, Scorecard
from bot.services.mocks.results import EndOutcome, MockStatus
from bot.ui.embeds import (
    BRAND,
    DESCRIPTION_LIMIT,
    DIFFICULTY_LABELS,
    EMBED_TOTAL_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    clip,
    round_text,
    score_text,
)
from bot.ui.mock_text import answer_guide
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
# i18n: a hiring committee's signal on a candidate, from "Strong no" to "Strong yes".
SIGNAL_WORDS = {
    "strong no": N_("Strong no"),
    "no": N_("No"),
    "lean no": N_("Lean no"),
    "lean yes": N_("Lean yes"),
    "yes": N_("Yes"),
    "strong yes": N_("Strong yes"),
}
# i18n: how a mock round ended, in a scorecard's footer ("Mock round #12 · ended with /mock end").
_END_REASONS = {
    "ended": N_("ended with /mock end"),
    "time_up": N_("closed when the time box ran out"),
    "idle": N_("closed after going idle"),
}
# i18n: how a mock round ended, when an admin ended someone else's round.
_END_REASONS_BY = {
    "ended": N_("ended with /mock end by {name}"),
    "time_up": N_("closed when the time box ran out by {name}"),
    "idle": N_("closed after going idle by {name}"),
}


def signal_label(signal: str | None, locale: object = None) -> str:
    """A hiring signal as a member reads it: "Lean yes"."""
    if not signal:
        # i18n: no hiring signal was given.
        return tr(locale, "None")
    return tr(locale, SIGNAL_WORDS.get(signal, signal.capitalize()))


def _difficulty(difficulty: str, locale: object) -> str:
    return tr(locale, DIFFICULTY_LABELS.get(difficulty, difficulty.capitalize()))


def _round_name(round_name: str, locale: object) -> str:
    return round_text(round_name, locale)


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


def _until(at: int) -> str:
    return f"<t:{at}:t>"


def _relative(at: int) -> str:
    return f"<t:{at}:R>"


def thread_name(round_name: str, display_name: str, locale: object = None) -> str:
    return clip(
        tr(
            locale,
            "Mock {round} · {name}",
            round=_round_name(round_name, locale).lower(),
            name=display_name,
        ),
        100,
    )


def _heading(mock: MockRound, question: Question, loop: LoopPlace | None, locale: object) -> str:
    if loop is not None:
        return tr(
            locale,
            "Onsite loop {position}/{total} · {step} · {title}",
            position=loop.position + 1,
            total=loop.total,
            step=tr(locale, loop.step.label),
            title=question.title,
        )
    if mock.is_phone_screen:
        return tr(locale, "Phone screen · question 1 of 2 · {title}", title=question.title)
    return tr(
        locale,
        "Mock {round} · {title}",
        round=_round_name(question.round, locale).lower(),
        title=question.title,
    )


def opening_embed(
    mock: MockRound,
    question: Question,
    loop: LoopPlace | None,
    *,
    plain_messages: bool,
    locale: object = None,
) -> discord.Embed:
    embed = discord.Embed(
        title=clip(_heading(mock, question, loop, locale), TITLE_LIMIT),
        description=clip(question.prompt, DESCRIPTION_LIMIT),
        colour=BRAND,
    )
    ends = int(mock.deadline.timestamp())
    box = tr(
        locale,
        "{minutes} min (ends {time}, {relative})",
        minutes=number(locale, mock.time_box_minutes),
        time=_until(ends),
        relative=_relative(ends),
    )
    if mock.is_phone_screen:
        second = int(second_question_at(mock).timestamp())
        box += "\n" + tr(
            locale,
            "Question 2 comes at {time}, whatever the state of question 1.",
            time=_until(second),
        )
    embed.add_field(name=tr(locale, "Time box"), value=box)
    embed.add_field(name=tr(locale, "Difficulty"), value=_difficulty(question.difficulty, locale))
    spans = phase_minutes(question.round, mock.time_box_minutes, phone_screen=mock.is_phone_screen)
    phases = " → ".join(
        tr(
            locale,
            "{phase} ({start}–{end} min)",
            phase=tr(locale, phase.label),
            start=number(locale, start),
            end=number(locale, end),
        )
        for phase, start, end in spans
    )
    embed.add_field(name=tr(locale, "Phases"), value=clip(phases, FIELD_LIMIT), inline=False)
    if plain_messages:
        ways = tr(
            locale,
            "Press **Respond** (up to {limit} characters), or mention me with your answer, or "
            "simply write in this thread.",
            limit=number(locale, MAX_TURN_CHARS),
        )
    else:
        ways = tr(
            locale,
            "Press **Respond** (up to {limit} characters), or mention me with your answer.",
            limit=number(locale, MAX_TURN_CHARS),
        )
    embed.add_field(
        name=tr(locale, "How to answer"),
        value=clip(f"{answer_guide(question.round, locale)}\n{ways}", FIELD_LIMIT),
        inline=False,
    )
    embed.set_footer(
        text=tr(
            locale,
            "Mock round #{round_id} · I ask one follow-up per answer · /mock end for your "
            "scorecard",
            round_id=mock.round_id,
        )
    )
    return embed


def second_question_embed(
    mock: MockRound, question: Question, locale: object = None
) -> discord.Embed:
    """A phone screen's second question, asked at the halfway mark."""
    embed = discord.Embed(
        title=clip(
            tr(locale, "Phone screen · question 2 of 2 · {title}", title=question.title),
            TITLE_LIMIT,
        ),
        description=clip(question.prompt, DESCRIPTION_LIMIT),
        colour=BRAND,
    )
    ends = int(mock.deadline.timestamp())
    embed.add_field(
        name=tr(locale, "Time left"),
        value=tr(locale, "until {time} ({relative})", time=_until(ends), relative=_relative(ends)),
    )
    embed.add_field(name=tr(locale, "Difficulty"), value=_difficulty(question.difficulty, locale))
    embed.add_field(
        name=tr(locale, "How to answer"),
        value=clip(
            tr(
                locale,
                "Time to move on: the scorecard grades what you said about question 1 as it "
                "stands. {guide}",
                guide=answer_guide(question.round, locale),
            ),
            FIELD_LIMIT,
        ),
        inline=False,
    )
    embed.set_footer(
        text=tr(
            locale, "Mock round #{round_id} · /mock end for your scorecard", round_id=mock.round_id
        )
    )
    return embed


def echo_embed(display_name: str, text: str, locale: object = None) -> discord.Embed:
    embed = discord.Embed(
        description=clip(text, DESCRIPTION_LIMIT), colour=discord.Colour.blurple()
    )
    embed.set_author(name=clip(tr(locale, "{name} answered", name=display_name), TITLE_LIMIT))
    return embed


def interviewer_content(line: InterviewerLine, locale: object = None) -> str:
    footer = "-# " + tr(
        locale,
        "Answer {answers}/{max_answers} · ⏱ {minutes} min left",
        answers=line.answers,
        max_answers=line.max_answers,
        minutes=number(locale, line.minutes_left),
    )
    if line.is_last:
        footer += "\n" + tr(
            locale,
            "**That was your last answer: a round takes {max_answers}.** Use `/mock end` in this "
            "thread for your scorecard.",
            max_answers=line.max_answers,
        )
    if line.fallback:
        footer += "\n-# " + tr(
            locale,
            "The AI interviewer is unavailable right now, so this follow-up comes from the "
            "question's own list. Your answer is saved.",
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
        for i, chunk in enumerate(_packed(lines)):
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
            round=_round_name(card.question.round, locale),
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
        if reason in _END_REASONS_BY:
            return tr(locale, _END_REASONS_BY[reason], name=card.ended_by_name)
        return tr(locale, "closed by {name}", name=card.ended_by_name)
    # i18n: how a mock round ended, in a scorecard's footer.
    return tr(locale, _END_REASONS.get(reason, N_("closed")))


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
        for i, chunk in enumerate(_packed(_criteria_lines(grade, locale))):
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
    for i, chunk in enumerate(_packed(lines)):
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


def started_text(
    mock: MockRound, loop: LoopPlace | None, rounds_today: int, limit: int, locale: object = None
) -> str:
    where = f"<#{mock.thread_id}>"
    minutes = number(locale, mock.time_box_minutes)
    if mock.is_phone_screen:
        ready = tr(
            locale,
            "✅ Your mock phone screen (two coding questions) is ready in {thread} "
            "({minutes} min).",
            thread=where,
            minutes=minutes,
        )
    elif loop is not None:
        ready = tr(
            locale,
            "✅ Your mock loop round {position}/{total} ({step}) is ready in {thread} "
            "({minutes} min).",
            position=loop.position + 1,
            total=loop.total,
            step=tr(locale, loop.step.label),
            thread=where,
            minutes=minutes,
        )
    else:
        ready = tr(
            locale,
            "✅ Your mock round is ready in {thread} ({minutes} min).",
            thread=where,
            minutes=minutes,
        )
    today = tr(
        locale, "Rounds started today: {started}/{limit}.", started=rounds_today, limit=limit
    )
    return f"{ready} {today}"


def ended_text(outcome: EndOutcome, locale: object = None) -> str:
    """The reply to `/mock end`, for the member who ended the round."""
    card = outcome.scorecard
    if card is None:
        if outcome.delayed:
            return tr(
                locale,
                "Round closed and the transcript saved. The scorecard is delayed; it will be "
                "posted in this thread.",
            )
        return tr(locale, "Round closed. There were no answers, so there is nothing to score.")
    grade = card.grade
    score = score_text(grade.overall, grade.max, locale)
    signal = signal_label(grade.hiring_signal, locale)
    if card.points is not None:
        text = tr(
            locale,
            "Round closed. Scorecard posted above: {score}, {signal}, +{points}.",
            score=score,
            signal=signal,
            points=points(card.points, locale),
        )
    else:
        text = tr(
            locale,
            "Round closed. Scorecard posted above: {score}, {signal}.",
            score=score,
            signal=signal,
        )
    if card.follows:
        text += " " + tr(locale, "It is approximate: the AI scorecard will follow in this thread.")
    return text


def track_switched_text(track: LoopTrack, locale: object = None) -> str:
    rounds = ", ".join(tr(locale, step.label) for step in LOOP_PLANS[track])
    return tr(
        locale,
        "🔀 Your loop is now on the **{track}** track: {rounds}.",
        track=TRACK_NAMES[track],
        rounds=rounds,
    )


def _now_value(status: MockStatus, locale: object) -> str:
    current = status.current
    if current is None:
        return tr(
            locale,
            "No round running. `/mock start` picks a question; `/mock loop` runs the whole "
            "onsite loop.",
        )
    title = status.titles.get(current.question_id, current.question_id)
    # i18n: where a mock round is while its private thread is being opened.
    where = f"<#{current.thread_id}>" if current.thread_id else tr(locale, "Opening")
    answers = ntr(locale, "{n} answer", "{n} answers", status.current_answers)
    left = tr(locale, "{minutes} min left", minutes=number(locale, status.current_minutes_left))
    return clip(
        f"{where} · {_round_name(current.round, locale)} · {title}\n{answers} · {left}",
        FIELD_LIMIT,
    )


def status_embed(status: MockStatus, locale: object = None) -> discord.Embed:
    embed = discord.Embed(title=tr(locale, "Your mock interviews"), colour=BRAND)
    # i18n: the member's mock round running now.
    embed.add_field(name=tr(locale, "Now"), value=_now_value(status, locale), inline=False)
    embed.add_field(
        name=tr(locale, "Today"),
        value=tr(
            locale,
            "{started}/{limit} rounds started",
            started=status.rounds_today,
            limit=status.settings.daily_limit,
        ),
    )
    loop = status.loop
    if loop is not None:
        by_position = {r.loop_position: r for r in status.loop_rounds}
        steps = []
        for position, step in enumerate(loop.plan):
            done = by_position.get(position)
            label = tr(locale, step.label)
            if done is None:
                steps.append(f"◻ {label}")
            elif done.grade is not None:
                signal = done.grade.hiring_signal
                steps.append(
                    f"✅ {label} {score_text(done.grade.overall, done.grade.max, locale)} "
                    f"({signal_label(signal, locale).lower() if signal else '—'})"
                )
            else:
                steps.append(f"▶ {label}")
        embed.add_field(name=tr(locale, "Onsite loop"), value=" · ".join(steps), inline=False)
    if status.recent:
        lines = []
        for mock in status.recent:
            card = mock.grade
            score = (
                f"{score_text(card.overall, card.max, locale)} · "
                f"{signal_label(card.hiring_signal, locale).lower()}"
                if card
                else ""
            )
            title = clip(status.titles.get(mock.question_id, mock.question_id), 60)
            lines.append(
                f"{mock.local_date} · {_round_name(mock.round, locale)} · {title}: {score}"
            )
        embed.add_field(name=tr(locale, "Recent scorecards"), value=bullets(lines), inline=False)
    embed.set_footer(
        text=tr(
            locale,
            "Rounds close after {minutes} min without an answer.",
            minutes=number(locale, status.settings.idle_minutes),
        )
    )
    return embed
