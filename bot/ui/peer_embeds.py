"""Pure render functions for peer sessions: data in, text and embeds out, within limits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.content.schema import Question
from bot.domain.peer_feedback import SCORE_MAX, PeerFeedback
from bot.domain.peer_matching import QueueEntry
from bot.domain.peer_session import Nudge, PeerSession
from bot.services.peers.results import FeedbackOutcome, HalfOutcome, JoinOutcome, PeerStatus
from bot.ui.embeds import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_LIMIT,
    TITLE_LIMIT,
    clip,
    round_label,
)
from bot.ui.plural import points

PEER_COLOUR = discord.Colour.from_rgb(0, 120, 212)
EMBEDS_PER_MESSAGE = 10


def _unix(instant: datetime) -> int:
    return int(instant.timestamp())


def stamp(instant: datetime) -> str:
    """A Discord timestamp: every reader sees it in their own timezone."""
    return f"<t:{_unix(instant)}:F> (<t:{_unix(instant)}:R>)"


def level_text(level: str | None) -> str:
    return level.capitalize() if level else "any level"


def thread_name(session: PeerSession) -> str:
    return clip(f"Peer mock #{session.session_id} · {round_label(session.round)}", 100)


def question_embed(question: Question, *, candidate_id: int, heading: str) -> discord.Embed:
    embed = discord.Embed(
        title=clip(f"{heading} · {question.title}", TITLE_LIMIT),
        description=clip(question.prompt, DESCRIPTION_LIMIT),
        colour=PEER_COLOUR,
    )
    embed.add_field(name="Candidate", value=f"<@{candidate_id}>")
    embed.add_field(name="Difficulty", value=question.difficulty.capitalize())
    embed.add_field(name="Time box", value=f"{question.time_box_minutes} min")
    return embed


def start_embeds(
    session: PeerSession, question: Question, *, no_show_minutes: int
) -> list[discord.Embed]:
    first, second = session.first_user_id, session.second_user_id
    timing = f"Booked for {stamp(session.starts_at)}." if session.booked else "Starting now."
    intro = discord.Embed(
        title=clip(f"Peer mock · {round_label(session.round)}", TITLE_LIMIT),
        description=(
            f"{timing}\n<@{first}> joined the queue first, so **<@{first}> interviews first** "
            f"and <@{second}> is the candidate; then you swap.\n\n"
            "1. Press **I'm here** when you arrive (after "
            f"{no_show_minutes} min a missing partner can be reported with **Report no-show**).\n"
            "2. The interviewer presses **Interviewer guide**: the rubric, follow-ups, hints and "
            "a reference outline, shown only to them.\n"
            "3. When the time box is up, press **Swap roles**: the other member interviews, "
            "with a new question.\n"
            "4. Press **End session** when you are done, then give each other feedback."
        ),
        colour=PEER_COLOUR,
    )
    return [intro, question_embed(question, candidate_id=second, heading="Question")]


def swap_text(outcome: HalfOutcome) -> str:
    session = outcome.session
    lines = [
        f"🔄 **Roles swapped.** <@{session.interviewer_id}> now interviews "
        f"<@{session.candidate_id}> with a new question. Interviewer: press "
        "**Interviewer guide**."
    ]
    lines.extend(_points_lines(outcome, "the first half"))
    return "\n".join(lines)


def end_text(outcome: HalfOutcome, *, automatic: bool = False) -> str:
    session = outcome.session
    first, second = session.first_user_id, session.second_user_id
    opening = (
        "🏁 **Session closed automatically** (nobody pressed End session)."
        if automatic
        else "🏁 **Session ended.**"
    )
    if session.half == 2:
        ask = f"<@{first}> and <@{second}>: press **Give feedback** to rate each other's answer."
    else:
        ask = (
            f"<@{first}>: press **Give feedback** to rate <@{second}>'s answer. "
            "(You did not swap, so only one of you was the candidate.)"
        )
    return "\n".join([opening, *_points_lines(outcome, "this half"), ask])


def _points_lines(outcome: HalfOutcome, what: str) -> list[str]:
    if not outcome.points:
        return [
            f"No points for {what}: both of you need to have turned up, and a half needs at "
            "least 10 minutes."
        ]
    return [
        "Points for " + what + ": " + ", ".join(f"<@{u}> +{p}" for u, p in outcome.points.items())
    ]


def nudge_text(session: PeerSession, nudge: Nudge, question: Question) -> tuple[str, list[int]]:
    """The reminder and whom it may ping."""
    first, second = session.first_user_id, session.second_user_id
    if nudge.kind == "start":
        return (
            f"⏰ <@{first}> <@{second}> your peer session starts now. <@{first}> interviews "
            "first: press **I'm here**, then the interviewer opens the **Interviewer guide**.",
            [first, second],
        )
    if nudge.kind == "no_show":
        absent = [u for u in session.members if not session.seen(u)]
        if len(absent) == 2:
            return (
                f"👋 <@{first}> <@{second}>: neither of you has pressed **I'm here** yet.",
                [first, second],
            )
        present = session.partner_of(absent[0])
        return (
            f"👋 <@{absent[0]}> has not turned up yet. <@{present}>, if they do not come, press "
            "**Report no-show**: you go back to the front of the queue.",
            [absent[0]],
        )
    if nudge.kind == "halfway":
        left = question.time_box_minutes - question.time_box_minutes // 2
        return f"⏳ Halfway: about {left} minutes left in this half.", []
    if session.half == 1:
        return (
            f"⏰ Time is up for the first half. Wrap up, then press **Swap roles** so <@{second}> "
            f"interviews <@{first}>.",
            [],
        )
    return "⏰ Time is up. Press **End session**, then give each other feedback.", []


def join_text(outcome: JoinOutcome) -> str:
    entry, match = outcome.entry, outcome.match
    if match is not None and match.session is not None:
        session = match.session
        partner = session.partner_of(entry.user_id)
        timing = f"booked for {stamp(session.starts_at)}" if session.booked else "starting now"
        return (
            f"✅ Matched with <@{partner}>, {timing}: your private thread is "
            f"<#{session.thread_id}>. <@{session.first_user_id}> interviews first."
        )
    lines = []
    if match is not None and match.problem is not None:
        lines.append(
            f"⚠ I found a partner but could not open your private thread: "
            f"{match.problem.problem} {match.problem.fix} You both stay in the queue."
        )
    lines.append(
        f"⏳ You are **#{outcome.position}** of {outcome.waiting} in the queue for "
        f"**{round_label(entry.round)}** ({level_text(entry.level)}), {availability_text(entry)}."
    )
    lines.append(next_steps_text())
    return "\n".join(lines)


def availability_text(entry: QueueEntry) -> str:
    if entry.windowed:
        return (
            f"free from <t:{_unix(entry.earliest)}:F>, starting no later than "
            f"<t:{_unix(entry.latest)}:t>"
        )
    return f"waiting until <t:{_unix(entry.latest)}:t> (<t:{_unix(entry.latest)}:R>)"


def next_steps_text() -> str:
    return (
        "**What happens next:** when someone joins for the same round at a time that suits you "
        "both, I open a private thread, add you both and ping you there. `/peer status` shows "
        "your place; `/peer leave` takes you out."
    )


def status_embed(status: PeerStatus, user_id: int) -> discord.Embed:
    embed = discord.Embed(title="Peer practice · your status", colour=PEER_COLOUR)
    session, entry = status.session, status.entry
    if session is not None:
        role = "interviewer" if session.interviewer_id == user_id else "candidate"
        where = f" in <#{session.thread_id}>" if session.thread_id else ""
        embed.description = (
            f"You are in a session with <@{session.partner_of(user_id)}>{where}: half "
            f"{session.half} of 2, you are the **{role}**. "
            + (f"It starts {stamp(session.starts_at)}. " if session.booked else "")
            + "Press **End session** in the thread when you are done."
        )
    elif entry is not None:
        embed.description = (
            f"You are **#{status.position}** in the queue for **{round_label(entry.round)}** "
            f"({level_text(entry.level)}), {availability_text(entry)}.\n\n{next_steps_text()}"
        )
    else:
        embed.description = (
            "You are not in the queue. `/peer join round [level] [when]` finds you a partner: "
            "`when` is `now` or a window such as `18:00-20:00`."
        )
    queue = " · ".join(f"{round_label(r)} {n}" for r, n in sorted(status.waiting_by_round.items()))
    embed.add_field(name="Waiting now", value=queue or "nobody", inline=False)
    settings = status.settings
    room = f"<#{settings.channel_id}>" if settings.channel_id else "the channel of the match"
    embed.add_field(
        name="How it works here",
        value=f"Threads open in {room}; a queue entry waits {settings.expiry_minutes} min; a "
        f"no-show can be reported after {settings.no_show_minutes} min.",
        inline=False,
    )
    if status.no_shows:
        embed.add_field(name="No-shows recorded", value=str(status.no_shows))
    return embed


def feedback_embed(feedback: PeerFeedback, question: Question | None) -> discord.Embed:
    title = question.title if question else feedback.question_id
    embed = discord.Embed(
        title=clip(f"Peer feedback · {title}", TITLE_LIMIT),
        description=f"From <@{feedback.giver_id}> on your turn as the candidate "
        f"(peer session #{feedback.session_id}).",
        colour=PEER_COLOUR,
    )
    scores = feedback.scores
    if scores.scores:
        lines = [f"**{name}**: {score}/{SCORE_MAX}" for name, score in scores.scores]
        assert scores.average is not None
        lines.append(f"Average: **{scores.average:.1f}/{SCORE_MAX}**")
        embed.add_field(name="Scores", value=clip("\n".join(lines), FIELD_LIMIT), inline=False)
    if feedback.went_well:
        embed.add_field(
            name="What went well", value=clip(feedback.went_well, FIELD_LIMIT), inline=False
        )
    if feedback.to_improve:
        embed.add_field(
            name="What to work on", value=clip(feedback.to_improve, FIELD_LIMIT), inline=False
        )
    return embed


def feedback_sent_text(outcome: FeedbackOutcome) -> str:
    receiver = outcome.feedback.receiver_id
    where = (
        f"sent to <@{receiver}> privately"
        if outcome.delivered
        else f"saved; <@{receiver}> has DMs closed, so they will see it with `/peer status`"
    )
    return f"✅ Thanks! Your feedback is {where}. +{points(outcome.points)} for giving feedback."


def guide_messages(
    session: PeerSession, question: Question, half: int
) -> list[list[discord.Embed]]:
    """The interviewer's guide, quoting the pack as written, packed into messages (each within
    6000 characters and 10 embeds; an ephemeral reply plus followups)."""
    candidate = session.candidate_in(half)
    sections: list[tuple[str, list[str]]] = [
        (
            f"Interviewer guide · {question.title}",
            [
                f"Only you see this. You interview <@{candidate}> on **{question.title}** "
                f"({question.difficulty}, {question.time_box_minutes} min). Let them drive; "
                "probe with the follow-ups; give a hint only when they are stuck; score each "
                "criterion from 1 to 5 when you give feedback."
            ],
        ),
        (
            "Rubric",
            [
                f"**{c.name}** (weight {c.weight})\n**Strong:** {c.strong}\n**Weak:** {c.weak}"
                for c in question.rubric
            ],
        ),
        ("Follow-ups", [f"{i}. {text}" for i, text in enumerate(question.follow_ups, 1)]),
        (
            "Hints (only if they are stuck)",
            [f"{i}. {text}" for i, text in enumerate(question.hints, 1)],
        ),
        ("Reference outline", [question.reference_outline]),
    ]
    embeds: list[discord.Embed] = []
    for title, blocks in sections:
        embeds.extend(_section_embeds(title, blocks))
    return _pack(embeds)


def _section_embeds(title: str, blocks: Sequence[str]) -> list[discord.Embed]:
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
        extra.title = clip(f"{title} (continued)", TITLE_LIMIT)
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
