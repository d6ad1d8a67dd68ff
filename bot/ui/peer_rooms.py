"""The Discord side of the peer service's `PeerRooms` port: private threads, reminders, DMs."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Literal

import discord

from bot.content.schema import Question
from bot.domain.grading import Grade
from bot.domain.peer_feedback import PeerFeedback
from bot.domain.peer_matching import PeerSettings, QueueEntry
from bot.domain.peer_session import Nudge, PeerSession
from bot.domain.spend import Fallback
from bot.llm.base import CANDIDATE, INTERVIEWER, Transcript
from bot.services.peers.results import HalfOutcome, RoomError
from bot.ui.embeds import round_label
from bot.ui.feedback import feedback_messages
from bot.ui.peer_embeds import (
    end_text,
    feedback_embed,
    nudge_text,
    start_embeds,
    thread_name,
)
from bot.ui.peer_views import PEER_AI_NOTICE, feedback_view, session_view
from bot.ui.replies import NO_PINGS

if TYPE_CHECKING:
    from discord.ext.commands import Bot

log = logging.getLogger(__name__)

ARCHIVE_MINUTES: Literal[1440] = 1440
TOO_MANY_THREADS = 160006
TRANSCRIPT_MESSAGES = 300
REQUIRED = {
    "view_channel": "View Channel",
    "create_private_threads": "Create Private Threads",
    "send_messages_in_threads": "Send Messages in Threads",
}


def only_users(*user_ids: int) -> discord.AllowedMentions:
    """Pings exactly these members and nobody else."""
    return discord.AllowedMentions(
        everyone=False,
        roles=False,
        users=[discord.Object(u) for u in user_ids],
        replied_user=False,
    )


class DiscordPeerRooms:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    def room_problem(self, channel_id: int) -> str | None:
        channel = self._bot.get_channel(channel_id)
        if channel is None:
            return f"I cannot find <#{channel_id}> (deleted, or I cannot see it)."
        if not isinstance(channel, discord.TextChannel) or channel.is_news():
            return (
                f"<#{channel_id}> is not a text channel, and Discord opens private threads only "
                "in text channels."
            )
        me = channel.guild.me
        granted = channel.permissions_for(me)
        missing = [label for attr, label in REQUIRED.items() if not getattr(granted, attr)]
        if missing:
            return f"I am missing {', '.join(missing)} in <#{channel_id}>."
        return None

    async def open_room(
        self, session: PeerSession, question: Question, settings: PeerSettings, *, ai_notes: bool
    ) -> int:
        channel = self._bot.get_channel(session.channel_id)
        problem = self.room_problem(session.channel_id)
        if problem is not None or not isinstance(channel, discord.TextChannel):
            raise RoomError(problem or "That channel cannot hold threads.", _FIX)
        try:
            thread = await channel.create_thread(
                name=thread_name(session),
                type=discord.ChannelType.private_thread,
                auto_archive_duration=ARCHIVE_MINUTES,
            )
        except discord.HTTPException as exc:
            raise _room_error(exc) from None
        first, second = session.members
        try:
            for user_id in session.members:
                await thread.add_user(discord.Object(user_id))
            await thread.send(
                f"<@{first}> <@{second}>" + (f"\n{PEER_AI_NOTICE}" if ai_notes else ""),
                embeds=start_embeds(session, question, no_show_minutes=settings.no_show_minutes),
                view=session_view(session.session_id, half=1, ai_notes=ai_notes),
                allowed_mentions=only_users(first, second),
            )
        except discord.HTTPException as exc:
            with contextlib.suppress(discord.HTTPException):
                await thread.delete()
            raise _room_error(exc) from None
        return thread.id

    async def _thread(self, session: PeerSession) -> discord.Thread | None:
        if session.thread_id is None:
            return None
        channel = self._bot.get_channel(session.thread_id)
        if channel is None:
            try:
                channel = await self._bot.fetch_channel(session.thread_id)
            except discord.HTTPException as exc:
                log.warning("peer thread %s unavailable: %s", session.thread_id, exc)
                return None
        return channel if isinstance(channel, discord.Thread) else None

    async def post_nudge(self, session: PeerSession, nudge: Nudge, question: Question) -> None:
        thread = await self._thread(session)
        if thread is None:
            return
        text, pings = nudge_text(session, nudge, question)
        try:
            await thread.send(text, allowed_mentions=only_users(*pings) if pings else NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("peer reminder in session %s failed: %s", session.session_id, exc)

    async def post_auto_closed(self, outcome: HalfOutcome) -> None:
        thread = await self._thread(outcome.session)
        if thread is None:
            return
        try:
            await thread.send(
                end_text(outcome, automatic=True),
                view=feedback_view(outcome.session.session_id),
                allowed_mentions=NO_PINGS,
            )
        except discord.HTTPException as exc:
            log.warning("closing note in session %s failed: %s", outcome.session.session_id, exc)

    async def _dm(
        self, user_id: int, content: str | None, pages: list[list[discord.Embed]]
    ) -> bool:
        try:
            user = self._bot.get_user(user_id) or await self._bot.fetch_user(user_id)
            for index, embeds in enumerate(pages or [[]]):
                await user.send(
                    content if index == 0 else None, embeds=embeds, allowed_mentions=NO_PINGS
                )
        except discord.HTTPException as exc:
            log.info("DM to %s failed: %s", user_id, exc)
            return False
        return True

    async def deliver_feedback(self, feedback: PeerFeedback, question: Question) -> bool:
        return await self._dm(
            feedback.receiver_id,
            "You have feedback from your peer mock session:",
            [[feedback_embed(feedback, question)]],
        )

    async def notify_expired(self, entry: QueueEntry) -> None:
        guild = self._bot.get_guild(entry.guild_id)
        where = f" in **{guild.name}**" if guild else ""
        await self._dm(
            entry.user_id,
            f"⌛ Your `/peer join` for **{round_label(entry.round)}**{where} expired without a "
            "match. Join again any time with `/peer join`.",
            [],
        )

    async def transcripts(self, session: PeerSession) -> dict[int, Transcript]:
        thread = await self._thread(session)
        if thread is None:
            return {}
        me = self._bot.user
        halves: dict[int, list[tuple[str, str]]] = {1: [], 2: []}
        half = 1
        try:
            async for message in thread.history(limit=TRANSCRIPT_MESSAGES, oldest_first=True):
                if me is not None and message.author.id == me.id:
                    # The second half starts at the bot's message that carries its buttons.
                    if _starts_second_half(message, session.session_id):
                        half = 2
                    continue
                if not message.content.strip() or not session.is_member(message.author.id):
                    continue
                speaker = (
                    INTERVIEWER if message.author.id == session.interviewer_in(half) else CANDIDATE
                )
                halves[half].append((speaker, message.content))
        except discord.HTTPException as exc:
            log.warning("peer transcript of session %s failed: %s", session.session_id, exc)
            return {}
        return {h: turns for h, turns in halves.items() if turns}

    async def deliver_summary(
        self, user_id: int, question: Question, grade: Grade, fallback: Fallback | None = None
    ) -> bool:
        what = "AI notes" if fallback is None else "Notes"
        return await self._dm(
            user_id,
            f"🤖 {what} on your turn as the candidate in your peer mock session, from what was "
            "typed in the thread:",
            feedback_messages(question, grade, points=None, resubmission=False, fallback=fallback),
        )


def _starts_second_half(message: discord.Message, session_id: int) -> bool:
    ids = {
        child.custom_id
        for row in message.components
        if isinstance(row, discord.ActionRow)
        for child in row.children
        if isinstance(child, discord.Button)
    }
    return f"peer:end:{session_id}" in ids and f"peer:swap:{session_id}" not in ids


_FIX = "An admin can fix my permissions there, or pick a channel with `/peer setup`."


def _room_error(exc: discord.HTTPException) -> RoomError:
    if exc.code == TOO_MANY_THREADS:
        return RoomError(
            "This server has too many active threads.",
            "Archive some threads, then join again.",
        )
    if isinstance(exc, discord.Forbidden):
        return RoomError(f"Discord refused: {exc.text or 'missing permissions'}.", _FIX)
    return RoomError(f"Discord failed ({exc.status}).", "Try `/peer join` again in a minute.")
