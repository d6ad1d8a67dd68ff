"""The interviewer guide of a peer session: the question, its rubric and what to ask, in embeds
within Discord's limits."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.content.schema import Question
from bot.domain.peer_session import PeerSession
from bot.i18n.messages import number, tr
from bot.ui.embeds import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    TITLE_LIMIT,
    clip,
    difficulty_text,
    minutes_text,
)
from bot.ui.peer_embeds import (
    EMBEDS_PER_MESSAGE,
    PEER_COLOUR,
)


def guide_messages(
    session: PeerSession, question: Question, half: int, locale: object = None
) -> list[list[discord.Embed]]:
    """The interviewer's guide, quoting the pack as written, packed into messages (each within
    6000 characters and 10 embeds; an ephemeral reply plus followups)."""
    candidate = session.candidate_in(half)
    sections: list[tuple[str, list[str]]] = [
        (
            tr(locale, "Interviewer guide · {title}", title=question.title_in(locale)),
            [
                tr(
                    locale,
                    "Only you see this. You interview {candidate} on **{title}** ({difficulty}, "
                    "{minutes}). Let them drive; probe with the follow-ups; give a hint only "
                    "when they are stuck; score each criterion from 1 to 5 when you give "
                    "feedback.",
                    candidate=f"<@{candidate}>",
                    title=question.title_in(locale),
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
