"""What a member reads about their own place in the peer queue and their sessions (the replies
to `/peer join`, `/peer status` and `/peer setup`), in their own language."""

from __future__ import annotations

import discord
from discord.utils import format_dt

from bot.domain.peer_matching import PeerSettings, QueueEntry
from bot.i18n.messages import number, tr
from bot.services.peers.results import JoinOutcome, PeerStatus
from bot.ui.embeds import (
    round_text,
)
from bot.ui.message import localized
from bot.ui.peer_embeds import (
    PEER_COLOUR,
    level_text,
    stamp,
)


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
        "start": format_dt(entry.earliest, "F"),
        "latest": format_dt(entry.latest, "t"),
        "relative": format_dt(entry.latest, "R"),
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
