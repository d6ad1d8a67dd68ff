"""Pure render functions for peer sessions: data in, text and embeds out, within limits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.content.schema import Question
from bot.domain.peer_feedback import SCORE_MAX, PeerFeedback
from bot.domain.peer_matching import PeerSettings, QueueEntry
from bot.domain.peer_session import Nudge, PeerSession
from bot.i18n.messages import N_, decimal, ntr, number, tr
from bot.services.peers.results import FeedbackOutcome, HalfOutcome, JoinOutcome, PeerStatus
from bot.ui.embeds import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    clip,
    difficulty_text,
    minutes_text,
    round_text,
)
from bot.ui.message import localized
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


def _unix(instant: datetime) -> int:
    return int(instant.timestamp())


def stamp(instant: datetime) -> str:
    """A Discord timestamp: every reader sees it in their own timezone."""
    return f"<t:{_unix(instant)}:F> (<t:{_unix(instant)}:R>)"


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
        tr(locale, "Second half · {title}", title=question.title)
        if second_half
        else tr(locale, "Question · {title}", title=question.title)
    )
    embed = discord.Embed(
        title=clip(title, TITLE_LIMIT),
        description=clip(question.prompt, DESCRIPTION_LIMIT),
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


def join_text(outcome: JoinOutcome, locale: object = None) -> str:
    entry, match = outcome.entry, outcome.match
    if match is not None and match.session is not None:
        session = match.session
        params = {
            "partner": f"<@{session.partner_of(entry.user_id)}>",
            "thread": f"<#{session.thread_id}>",
            "first": f"<@{session.first_user_id}>",
        }
        if session.booked:
            return tr(
                locale,
                "✅ Matched with {partner}, booked for {time}: your private thread is {thread}. "
                "{first} interviews first.",
                time=stamp(session.starts_at),
                **params,
            )
        return tr(
            locale,
            "✅ Matched with {partner}, starting now: your private thread is {thread}. {first} "
            "interviews first.",
            **params,
        )
    lines = []
    if match is not None and match.problem is not None:
        problem = match.problem
        lines.append(
            tr(
                locale,
                "⚠ I found a partner but could not open your private thread: {problem} {fix} "
                "You both stay in the queue.",
                problem=localized(locale, problem.problem, problem.params),
                fix=localized(locale, problem.fix, problem.params),
            )
        )
    lines.append(_place_text(outcome.entry, outcome.position, outcome.waiting, locale))
    lines.append(next_steps_text(locale))
    return "\n".join(lines)


def _place_text(entry: QueueEntry, position: int, waiting: int | None, locale: object) -> str:
    """Where the member stands in the queue (`waiting`: of how many, in the join's answer)."""
    params = {
        "position": number(locale, position),
        "round": round_text(entry.round, locale),
        "level": level_text(entry.level, locale),
        "start": f"<t:{_unix(entry.earliest)}:F>",
        "latest": f"<t:{_unix(entry.latest)}:t>",
        "relative": f"<t:{_unix(entry.latest)}:R>",
    }
    if waiting is None:
        if entry.windowed:
            return tr(
                locale,
                "You are **#{position}** in the queue for **{round}** ({level}), free from "
                "{start}, starting no later than {latest}.",
                **params,
            )
        return tr(
            locale,
            "You are **#{position}** in the queue for **{round}** ({level}), waiting until "
            "{latest} ({relative}).",
            **params,
        )
    if entry.windowed:
        return tr(
            locale,
            "⏳ You are **#{position}** of {waiting} in the queue for **{round}** ({level}), "
            "free from {start}, starting no later than {latest}.",
            waiting=number(locale, waiting),
            **params,
        )
    return tr(
        locale,
        "⏳ You are **#{position}** of {waiting} in the queue for **{round}** ({level}), "
        "waiting until {latest} ({relative}).",
        waiting=number(locale, waiting),
        **params,
    )


def next_steps_text(locale: object = None) -> str:
    return tr(
        locale,
        "**What happens next:** when someone joins for the same round at a time that suits you "
        "both, I open a private thread, add you both and ping you there. `/peer status` shows "
        "your place; `/peer leave` takes you out.",
    )


def status_embed(status: PeerStatus, user_id: int, locale: object = None) -> discord.Embed:
    embed = discord.Embed(title=tr(locale, "Peer practice · your status"), colour=PEER_COLOUR)
    session, entry = status.session, status.entry
    if session is not None:
        partner = f"<@{session.partner_of(user_id)}>"
        sentences = [
            tr(
                locale,
                "You are in a session with {partner} in {thread}.",
                partner=partner,
                thread=f"<#{session.thread_id}>",
            )
            if session.thread_id
            else tr(locale, "You are in a session with {partner}.", partner=partner),
            tr(locale, "Half {half} of 2: you are the **interviewer**.", half=session.half)
            if session.interviewer_id == user_id
            else tr(locale, "Half {half} of 2: you are the **candidate**.", half=session.half),
        ]
        if session.booked:
            sentences.append(tr(locale, "It starts {time}.", time=stamp(session.starts_at)))
        sentences.append(tr(locale, "Press **End session** in the thread when you are done."))
        embed.description = " ".join(sentences)
    elif entry is not None:
        place = _place_text(entry, status.position, None, locale)
        embed.description = f"{place}\n\n{next_steps_text(locale)}"
    else:
        embed.description = tr(
            locale,
            "You are not in the queue. `/peer join round [level] [when]` finds you a partner: "
            "`when` is `now` or a window such as `18:00-20:00`.",
        )
    queue = " · ".join(
        f"{round_text(r, locale)} {number(locale, n)}"
        for r, n in sorted(status.waiting_by_round.items())
    )
    embed.add_field(
        name=tr(locale, "Waiting now"),
        # i18n: nobody waits in the peer queue.
        value=queue or tr(locale, "nobody"),
        inline=False,
    )
    embed.add_field(
        name=tr(locale, "How it works here"),
        value=settings_text(status.settings, locale),
        inline=False,
    )
    if status.no_shows:
        embed.add_field(name=tr(locale, "No-shows recorded"), value=number(locale, status.no_shows))
    return embed


def settings_text(settings: PeerSettings, locale: object = None) -> str:
    """Where threads open and how long entries and partners are waited for."""
    params = {
        "expiry": number(locale, settings.expiry_minutes),
        "no_show": number(locale, settings.no_show_minutes),
    }
    if settings.channel_id:
        return tr(
            locale,
            "Threads open in {channel}; a queue entry waits {expiry} min; a no-show can be "
            "reported after {no_show} min.",
            channel=f"<#{settings.channel_id}>",
            **params,
        )
    return tr(
        locale,
        "Threads open in the channel of the match; a queue entry waits {expiry} min; a no-show "
        "can be reported after {no_show} min.",
        **params,
    )


def feedback_embed(
    feedback: PeerFeedback, question: Question | None, locale: object = None
) -> discord.Embed:
    title = question.title if question else feedback.question_id
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


def guide_messages(
    session: PeerSession, question: Question, half: int, locale: object = None
) -> list[list[discord.Embed]]:
    """The interviewer's guide, quoting the pack as written, packed into messages (each within
    6000 characters and 10 embeds; an ephemeral reply plus followups)."""
    candidate = session.candidate_in(half)
    sections: list[tuple[str, list[str]]] = [
        (
            tr(locale, "Interviewer guide · {title}", title=question.title),
            [
                tr(
                    locale,
                    "Only you see this. You interview {candidate} on **{title}** ({difficulty}, "
                    "{minutes}). Let them drive; probe with the follow-ups; give a hint only "
                    "when they are stuck; score each criterion from 1 to 5 when you give "
                    "feedback.",
                    candidate=f"<@{candidate}>",
                    title=question.title,
                    difficulty=difficulty_text(question.difficulty, locale),
                    minutes=minutes_text(question.time_box_minutes, locale),
                )
            ],
        ),
        (
            tr(locale, "Rubric"),
            [
                tr(
                    locale,
                    "**{name}** (weight {weight})\n**Strong:** {strong}\n**Weak:** {weak}",
                    name=c.name,
                    weight=number(locale, c.weight),
                    strong=c.strong,
                    weak=c.weak,
                )
                for c in question.rubric
            ],
        ),
        (
            tr(locale, "Follow-ups"),
            [f"{i}. {text}" for i, text in enumerate(question.follow_ups, 1)],
        ),
        (
            tr(locale, "Hints (only if they are stuck)"),
            [f"{i}. {text}" for i, text in enumerate(question.hints, 1)],
        ),
        (tr(locale, "Reference outline"), [question.reference_outline]),
    ]
    embeds: list[discord.Embed] = []
    for title, blocks in sections:
        embeds.extend(_section_embeds(title, blocks, locale))
    return _pack(embeds)


def _section_embeds(title: str, blocks: Sequence[str], locale: object) -> list[discord.Embed]:
    out: list[discord.Embed] = []
    current = ""
    for block in blocks:
        text = clip(block, DESCRIPTION_LIMIT)
        if current and len(current) + 2 + len(text) > DESCRIPTION_LIMIT:
            out.append(discord.Embed(description=current, colour=PEER_COLOUR))
            current = text
        else:
            current = f"{current}\n\n{text}" if current else text
    if current:
        out.append(discord.Embed(description=current, colour=PEER_COLOUR))
    out[0].title = clip(title, TITLE_LIMIT)
    for extra in out[1:]:
        extra.title = clip(tr(locale, "{heading} (continued)", heading=title), TITLE_LIMIT)
    return out


def _pack(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    messages: list[list[discord.Embed]] = [[]]
    size = 0
    for embed in embeds:
        length = len(embed)
        current = messages[-1]
        if current and (size + length > EMBED_TOTAL_LIMIT or len(current) >= EMBEDS_PER_MESSAGE):
            messages.append([])
            size = 0
        messages[-1].append(embed)
        size += length
    return messages
