"""Pure render functions for mock rounds: the opening, turns, scorecards, the committee packet
and the member's status, always within Discord's limits. What is posted in a round's thread is
in the round's language (the server's, chosen when it started: `MockRound.locale`); what only the
member sees (their status, the replies to their commands) in their own."""

from __future__ import annotations

from collections.abc import Sequence

import discord
from discord.utils import format_dt

from bot.content.schema import Question
from bot.domain.mock import MAX_TURN_CHARS, MockRound, phase_minutes
from bot.domain.mock.phone_screen import second_question_at
from bot.i18n.messages import N_, number, tr
from bot.services.mocks.ports import InterviewerLine, LoopPlace
from bot.ui.embeds import (
    BRAND,
    DESCRIPTION_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    clip,
    difficulty_text,
    round_text,
)
from bot.ui.mock_text import answer_guide

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
END_REASONS = {
    "ended": N_("ended with /mock end"),
    "time_up": N_("closed when the time box ran out"),
    "idle": N_("closed after going idle"),
}
# i18n: how a mock round ended, when an admin ended someone else's round.
END_REASONS_BY = {
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


def packed(lines: Sequence[str]) -> list[str]:
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


def thread_name(round_name: str, display_name: str, locale: object = None) -> str:
    return clip(
        tr(
            locale,
            "Mock {round} · {name}",
            round=round_text(round_name, locale).lower(),
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
            title=question.title_in(locale),
        )
    if mock.is_phone_screen:
        return tr(
            locale, "Phone screen · question 1 of 2 · {title}", title=question.title_in(locale)
        )
    return tr(
        locale,
        "Mock {round} · {title}",
        round=round_text(question.round, locale).lower(),
        title=question.title_in(locale),
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
        description=clip(question.prompt_in(locale), DESCRIPTION_LIMIT),
        colour=BRAND,
    )
    embed.add_field(name=tr(locale, "Time box"), value=_time_box(mock, locale))
    embed.add_field(
        name=tr(locale, "Difficulty"), value=difficulty_text(question.difficulty, locale)
    )
    embed.add_field(name=tr(locale, "Phases"), value=_phases(mock, question, locale), inline=False)
    embed.add_field(
        name=tr(locale, "How to answer"),
        value=_how_to_answer(question, plain_messages, locale),
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


def _time_box(mock: MockRound, locale: object) -> str:
    box = tr(
        locale,
        "{minutes} min (ends {time}, {relative})",
        minutes=number(locale, mock.time_box_minutes),
        time=format_dt(mock.deadline, "t"),
        relative=format_dt(mock.deadline, "R"),
    )
    if mock.is_phone_screen:
        box += "\n" + tr(
            locale,
            "Question 2 comes at {time}, whatever the state of question 1.",
            time=format_dt(second_question_at(mock), "t"),
        )
    return box


def _phases(mock: MockRound, question: Question, locale: object) -> str:
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
    return clip(phases, FIELD_LIMIT)


def _how_to_answer(question: Question, plain_messages: bool, locale: object) -> str:
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
    return clip(f"{answer_guide(question.round, locale)}\n{ways}", FIELD_LIMIT)


def second_question_embed(
    mock: MockRound, question: Question, locale: object = None
) -> discord.Embed:
    """A phone screen's second question, asked at the halfway mark."""
    embed = discord.Embed(
        title=clip(
            tr(locale, "Phone screen · question 2 of 2 · {title}", title=question.title_in(locale)),
            TITLE_LIMIT,
        ),
        description=clip(question.prompt_in(locale), DESCRIPTION_LIMIT),
        colour=BRAND,
    )
    embed.add_field(
        name=tr(locale, "Time left"),
        value=tr(
            locale,
            "until {time} ({relative})",
            time=format_dt(mock.deadline, "t"),
            relative=format_dt(mock.deadline, "R"),
        ),
    )
    embed.add_field(
        name=tr(locale, "Difficulty"), value=difficulty_text(question.difficulty, locale)
    )
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
