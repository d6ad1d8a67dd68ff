"""Pure render functions for peer sessions: data in, text and embeds out, within limits."""

from __future__ import annotations

from datetime import datetime

import discord
from discord.utils import format_dt

from bot.content.schema import Question
from bot.domain.peer_feedback import SCORE_MAX, PeerFeedback
from bot.domain.peer_session import Nudge, PeerSession
from bot.i18n.messages import N_, decimal, ntr, number, tr
from bot.services.peers.results import FeedbackOutcome, HalfOutcome
from bot.ui.embeds import (
    DESCRIPTION_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    clip,
    difficulty_text,
    minutes_text,
    round_text,
)
from bot.ui.plural import points

PEER_COLOUR = discord.Colour.from_rgb(0, 120, 212)
EMBEDS_PER_MESSAGE = 10

# The session's buttons. i18n: bold words such as **I'm here** or **End session** in the peer
# session's texts are these buttons' labels: translate them the same way.
BUTTON_LABELS = {
    # i18n: button: the member says they arrived for their peer mock session.
    "here": N_("I'm here"),
    "guide": N_("Interviewer guide"),
    # i18n: button: the interviewer and the candidate swap roles for the second half.
    "swap": N_("Swap roles"),
    "end": N_("End session"),
    # i18n: button: report that the partner did not come to the session.
    "noshow": N_("Report no-show"),
    "feedback": N_("Give feedback"),
    # i18n: button: nothing of this session is sent to Anthropic for AI notes.
    "noai": N_("No AI notes"),
}


def stamp(instant: datetime) -> str:
    """A Discord timestamp: every reader sees it in their own timezone."""
    return f"{format_dt(instant, 'F')} ({format_dt(instant, 'R')})"


def level_text(level: str | None, locale: object = None) -> str:
    # i18n: a peer queue entry's level when the member did not give one.
    return difficulty_text(level, locale) if level else tr(locale, "any level")


def thread_name(session: PeerSession, locale: object = None) -> str:
    return clip(
        tr(
            locale,
            "Peer mock #{session} · {round}",
            session=session.session_id,
            round=round_text(session.round, locale),
        ),
        100,
    )


def question_embed(
    question: Question, *, candidate_id: int, second_half: bool = False, locale: object = None
) -> discord.Embed:
    title = (
        tr(locale, "Second half · {title}", title=question.title_in(locale))
        if second_half
        else tr(locale, "Question · {title}", title=question.title_in(locale))
    )
    embed = discord.Embed(
        title=clip(title, TITLE_LIMIT),
        description=clip(question.prompt_in(locale), DESCRIPTION_LIMIT),
        colour=PEER_COLOUR,
    )
    embed.add_field(name=tr(locale, "Candidate"), value=f"<@{candidate_id}>")
    embed.add_field(
        name=tr(locale, "Difficulty"), value=difficulty_text(question.difficulty, locale)
    )
    embed.add_field(
        name=tr(locale, "Time box"), value=minutes_text(question.time_box_minutes, locale)
    )
    return embed


def start_embeds(
    session: PeerSession, question: Question, *, no_show_minutes: int, locale: object = None
) -> list[discord.Embed]:
    first, second = session.first_user_id, session.second_user_id
    timing = (
        tr(locale, "Booked for {time}.", time=stamp(session.starts_at))
        if session.booked
        else tr(locale, "Starting now.")
    )
    intro = discord.Embed(
        title=clip(
            tr(locale, "Peer mock · {round}", round=round_text(session.round, locale)),
            TITLE_LIMIT,
        ),
        description=tr(
            locale,
            "{timing}\n{first} joined the queue first, so **{first} interviews first** and "
            "{second} is the candidate; then you swap.\n\n"
            "1. Press **I'm here** when you arrive (after {minutes} min a missing partner can be "
            "reported with **Report no-show**).\n"
            "2. The interviewer presses **Interviewer guide**: the rubric, follow-ups, hints and "
            "a reference outline, shown only to them.\n"
            "3. When the time box is up, press **Swap roles**: the other member interviews, with "
            "a new question.\n"
            "4. Press **End session** when you are done, then give each other feedback.",
            timing=timing,
            first=f"<@{first}>",
            second=f"<@{second}>",
            minutes=number(locale, no_show_minutes),
        ),
        colour=PEER_COLOUR,
    )
    return [intro, question_embed(question, candidate_id=second, locale=locale)]


def swap_text(outcome: HalfOutcome, locale: object = None) -> str:
    session = outcome.session
    lines = [
        tr(
            locale,
            "🔄 **Roles swapped.** {interviewer} now interviews {candidate} with a new question. "
            "Interviewer: press **Interviewer guide**.",
            interviewer=f"<@{session.interviewer_id}>",
            candidate=f"<@{session.candidate_id}>",
        ),
        _points_line(outcome, locale, first_half=True),
    ]
    return "\n".join(lines)


def end_text(outcome: HalfOutcome, *, automatic: bool = False, locale: object = None) -> str:
    session = outcome.session
    first, second = f"<@{session.first_user_id}>", f"<@{session.second_user_id}>"
    opening = (
        tr(locale, "🏁 **Session closed automatically** (nobody pressed End session).")
        if automatic
        else tr(locale, "🏁 **Session ended.**")
    )
    if session.half == 2:
        ask = tr(
            locale,
            "{first} and {second}: press **Give feedback** to rate each other's answer.",
            first=first,
            second=second,
        )
    else:
        ask = tr(
            locale,
            "{first}: press **Give feedback** to rate {second}'s answer. (You did not swap, so "
            "only one of you was the candidate.)",
            first=first,
            second=second,
        )
    return "\n".join([opening, _points_line(outcome, locale, first_half=False), ask])


def _points_line(outcome: HalfOutcome, locale: object, *, first_half: bool) -> str:
    if not outcome.points:
        if first_half:
            return tr(
                locale,
                "No points for the first half: both of you need to have turned up, and a half "
                "needs at least 10 minutes.",
            )
        return tr(
            locale,
            "No points for this half: both of you need to have turned up, and a half needs at "
            "least 10 minutes.",
        )
    earned = ", ".join(f"<@{u}> +{number(locale, p)}" for u, p in outcome.points.items())
    if first_half:
        return tr(locale, "Points for the first half: {points}", points=earned)
    return tr(locale, "Points for this half: {points}", points=earned)


def nudge_text(
    session: PeerSession, nudge: Nudge, question: Question, locale: object = None
) -> tuple[str, list[int]]:
    """The reminder and whom it may ping."""
    first, second = session.first_user_id, session.second_user_id
    if nudge.kind == "start":
        return (
            tr(
                locale,
                "⏰ {first} {second} your peer session starts now. {first} interviews first: "
                "press **I'm here**, then the interviewer opens the **Interviewer guide**.",
                first=f"<@{first}>",
                second=f"<@{second}>",
            ),
            [first, second],
        )
    if nudge.kind == "no_show":
        return _no_show_text(session, locale)
    if nudge.kind == "halfway":
        left = question.time_box_minutes - question.time_box_minutes // 2
        return (
            ntr(
                locale,
                "⏳ Halfway: about {n} minute left in this half.",
                "⏳ Halfway: about {n} minutes left in this half.",
                left,
            ),
            [],
        )
    if session.half == 1:
        return (
            tr(
                locale,
                "⏰ Time is up for the first half. Wrap up, then press **Swap roles** so "
                "{second} interviews {first}.",
                first=f"<@{first}>",
                second=f"<@{second}>",
            ),
            [],
        )
    return tr(locale, "⏰ Time is up. Press **End session**, then give each other feedback."), []


def _no_show_text(session: PeerSession, locale: object) -> tuple[str, list[int]]:
    first, second = session.first_user_id, session.second_user_id
    absent = [u for u in session.members if not session.seen(u)]
    if len(absent) == 2:
        return (
            tr(
                locale,
                "👋 {first} {second}: neither of you has pressed **I'm here** yet.",
                first=f"<@{first}>",
                second=f"<@{second}>",
            ),
            [first, second],
        )
    present = session.partner_of(absent[0])
    return (
        tr(
            locale,
            "👋 {absent} has not turned up yet. {present}, if they do not come, press "
            "**Report no-show**: you go back to the front of the queue.",
            absent=f"<@{absent[0]}>",
            present=f"<@{present}>",
        ),
        [absent[0]],
    )


def feedback_embed(
    feedback: PeerFeedback, question: Question | None, locale: object = None
) -> discord.Embed:
    title = question.title_in(locale) if question else feedback.question_id
    embed = discord.Embed(
        title=clip(tr(locale, "Peer feedback · {title}", title=title), TITLE_LIMIT),
        description=tr(
            locale,
            "From {giver} on your turn as the candidate (peer session #{session}).",
            giver=f"<@{feedback.giver_id}>",
            session=feedback.session_id,
        ),
        colour=PEER_COLOUR,
    )
    scores = feedback.scores
    if scores.scores:
        lines = [f"**{name}**: {score}/{SCORE_MAX}" for name, score in scores.scores]
        assert scores.average is not None
        lines.append(
            tr(
                locale,
                "Average: **{average}/{max}**",
                average=decimal(locale, scores.average),
                max=SCORE_MAX,
            )
        )
        embed.add_field(
            name=tr(locale, "Scores"), value=clip("\n".join(lines), FIELD_LIMIT), inline=False
        )
    if feedback.went_well:
        embed.add_field(
            name=tr(locale, "What went well"),
            value=clip(feedback.went_well, FIELD_LIMIT),
            inline=False,
        )
    if feedback.to_improve:
        embed.add_field(
            name=tr(locale, "What to work on"),
            value=clip(feedback.to_improve, FIELD_LIMIT),
            inline=False,
        )
    return embed


def feedback_sent_text(outcome: FeedbackOutcome, locale: object = None) -> str:
    receiver = f"<@{outcome.feedback.receiver_id}>"
    earned = points(outcome.points, locale)
    if outcome.delivered:
        return tr(
            locale,
            "✅ Thanks! Your feedback is sent to {receiver} privately. +{points} for giving "
            "feedback.",
            receiver=receiver,
            points=earned,
        )
    return tr(
        locale,
        "✅ Thanks! Your feedback is saved; {receiver} has DMs closed, so they will see it with "
        "`/peer status`. +{points} for giving feedback.",
        receiver=receiver,
        points=earned,
    )
