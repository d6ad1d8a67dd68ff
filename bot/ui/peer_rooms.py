"""The Discord side of the peer service's `PeerRooms` port: private threads, reminders, DMs."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Literal

import discord

from bot.content.schema import Question
from bot.domain.grading import Grade
from bot.domain.message import Channel, Command
from bot.domain.peer_feedback import PeerFeedback
from bot.domain.peer_matching import PeerSettings, QueueEntry
from bot.domain.peer_session import Nudge, PeerSession
from bot.domain.spend import Fallback
from bot.host import StudyBot
from bot.i18n.messages import N_, SOURCE_LOCALE, tr
from bot.llm.base import CANDIDATE, INTERVIEWER, Transcript
from bot.services.peers.results import HalfOutcome, RoomError, RoomProblem
from bot.ui.embeds import round_text
from bot.ui.feedback import feedback_messages
from bot.ui.language import server_language
from bot.ui.peer_embeds import (
    end_text,
    feedback_embed,
    nudge_text,
    start_embeds,
    thread_name,
)
from bot.ui.peer_views import PEER_AI_NOTICE, feedback_view, session_view
from bot.ui.permissions import missing
from bot.ui.replies import NO_PINGS

if TYPE_CHECKING:
    from discord.ext.commands import Bot

log = logging.getLogger(__name__)

ARCHIVE_MINUTES: Literal[1440] = 1440
TOO_MANY_THREADS = 160006
TRANSCRIPT_MESSAGES = 300
# What a session's private thread needs in its channel.
NEEDED = ("view_channel", "create_private_threads", "send_messages_in_threads")


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

    async def _language(self, guild_id: int) -> str:
        """The server's language: the session threads' posts and the DMs sent outside an
        interaction are in it."""
        if isinstance(self._bot, StudyBot):
            return await server_language(self._bot, guild_id)
        return SOURCE_LOCALE

    def room_problem(self, channel_id: int) -> RoomProblem | None:
        channel = self._bot.get_channel(channel_id)
        if channel is None:
            return RoomProblem("not-found", channel_id)
        if not isinstance(channel, discord.TextChannel) or channel.is_news():
            return RoomProblem("not-text", channel_id)
        lacking = missing(channel, NEEDED)
        if lacking:
            return RoomProblem("permissions", channel_id, lacking)
        return None

    async def open_room(
        self, session: PeerSession, question: Question, settings: PeerSettings, *, ai_notes: bool
    ) -> int:
        channel = self._bot.get_channel(session.channel_id)
        problem = self.room_problem(session.channel_id)
        if problem is not None or not isinstance(channel, discord.TextChannel):
            raise _problem_error(problem, session.channel_id)
        language = await self._language(session.guild_id)
        try:
            thread = await channel.create_thread(
                name=thread_name(session, language),
                type=discord.ChannelType.private_thread,
                auto_archive_duration=ARCHIVE_MINUTES,
            )
        except discord.HTTPException as exc:
            raise _room_error(exc) from None
        first, second = session.members
        try:
            for user_id in session.members:
                await thread.add_user(discord.Object(user_id))
            pings = f"<@{first}> <@{second}>"
            await thread.send(
                f"{pings}\n{tr(language, PEER_AI_NOTICE)}" if ai_notes else pings,
                embeds=start_embeds(
                    session, question, no_show_minutes=settings.no_show_minutes, locale=language
                ),
                view=session_view(session.session_id, half=1, ai_notes=ai_notes, locale=language),
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
        text, pings = nudge_text(session, nudge, question, await self._language(session.guild_id))
        try:
            await thread.send(text, allowed_mentions=only_users(*pings) if pings else NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("peer reminder in session %s failed: %s", session.session_id, exc)

    async def post_auto_closed(self, outcome: HalfOutcome) -> None:
        thread = await self._thread(outcome.session)
        if thread is None:
            return
        language = await self._language(outcome.session.guild_id)
        try:
            await thread.send(
                end_text(outcome, automatic=True, locale=language),
                view=feedback_view(outcome.session.session_id, language),
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
        language = await self._language(feedback.guild_id)
        return await self._dm(
            feedback.receiver_id,
            tr(language, "You have feedback from your peer mock session:"),
            [[feedback_embed(feedback, question, language)]],
        )

    async def notify_expired(self, entry: QueueEntry) -> None:
        guild = self._bot.get_guild(entry.guild_id)
        language = await self._language(entry.guild_id)
        round_name = round_text(entry.round, language)
        if guild is not None:
            text = tr(
                language,
                "⌛ Your `/peer join` for **{round}** in **{server}** expired without a match. "
                "Join again any time with `/peer join`.",
                round=round_name,
                server=guild.name,
            )
        else:
            text = tr(
                language,
                "⌛ Your `/peer join` for **{round}** expired without a match. Join again any "
                "time with `/peer join`.",
                round=round_name,
            )
        await self._dm(entry.user_id, text, [])

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
        self,
        guild_id: int,
        user_id: int,
        question: Question,
        grade: Grade,
        fallback: Fallback | None = None,
    ) -> bool:
        language = await self._language(guild_id)
        if fallback is None:
            intro = tr(
                language,
                "🤖 AI notes on your turn as the candidate in your peer mock session, from what "
                "was typed in the thread:",
            )
        else:
            intro = tr(
                language,
                "🤖 Notes on your turn as the candidate in your peer mock session, from what was "
                "typed in the thread:",
            )
        return await self._dm(
            user_id,
            intro,
            feedback_messages(
                question,
                grade,
                points=None,
                resubmission=False,
                fallback=fallback,
                locale=language,
            ),
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


# Why the session's thread could not be opened, and what to do: shown in the member's answer to
# `/peer join`, one after the other.
_FIX = N_("An admin can fix my permissions there, or pick a channel with {setup}.")
_PROBLEMS = {
    "not-found": N_("I cannot find {channel} (deleted, or I cannot see it)."),
    "not-text": N_(
        "{channel} is not a text channel, and Discord opens private threads only in text channels."
    ),
    "permissions": N_("I am missing {permissions} in {channel}."),
}


def _problem_error(problem: RoomProblem | None, channel_id: int) -> RoomError:
    return RoomError(
        _PROBLEMS[problem.kind] if problem else N_("{channel} cannot hold threads."),
        _FIX,
        channel=Channel(channel_id),
        permissions=problem.missing if problem else (),
        setup=Command("/peer setup"),
    )


def _room_error(exc: discord.HTTPException) -> RoomError:
    if exc.code == TOO_MANY_THREADS:
        return RoomError(
            N_("This server has too many active threads."),
            N_("Archive some threads, then join again."),
        )
    if isinstance(exc, discord.Forbidden):
        # Discord's own reason, in English.
        return RoomError(
            N_("Discord refused: {reason}."),
            _FIX,
            reason=exc.text or "Missing Permissions",
            setup=Command("/peer setup"),
        )
    return RoomError(
        N_("Discord failed ({status})."),
        N_("Try {join} again in a minute."),
        status=exc.status,
        join=Command("/peer join"),
    )
