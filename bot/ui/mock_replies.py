"""What a member reads about their own mock rounds (the replies to `/mock start`, `/mock end`,
the loop's track and `/mock status`), in their own language."""

from __future__ import annotations

import discord

from bot.domain.mock import MockRound
from bot.domain.mock_loop import LOOP_PLANS, TRACK_NAMES, LoopTrack
from bot.i18n.messages import ntr, number, tr
from bot.services.mocks.ports import LoopPlace
from bot.services.mocks.results import EndOutcome, MockStatus
from bot.ui.embeds import (
    BRAND,
    FIELD_LIMIT,
    clip,
    round_text,
    score_text,
)
from bot.ui.mock_embeds import (
    bullets,
    signal_label,
)
from bot.ui.plural import points


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
        track=tr(locale, TRACK_NAMES[track]),
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
        f"{where} · {round_text(current.round, locale)} · {title}\n{answers} · {left}",
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
            lines.append(f"{mock.local_date} · {round_text(mock.round, locale)} · {title}: {score}")
        embed.add_field(name=tr(locale, "Recent scorecards"), value=bullets(lines), inline=False)
    embed.set_footer(
        text=tr(
            locale,
            "Rounds close after {minutes} min without an answer.",
            minutes=number(locale, status.settings.idle_minutes),
        )
    )
    return embed
