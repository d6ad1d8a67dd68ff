"""The Discord side of the mock service's `MockRoom` port: a private thread per round."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Literal

import aiohttp
import discord

from bot.content.schema import Question, Round
from bot.domain.mock import MockRound, Nudge
from bot.domain.mock_loop import Packet
from bot.i18n.messages import N_, tr
from bot.services.mocks.ports import InterviewerLine, LoopPlace, Notice, Scorecard
from bot.services.ports import PublishError
from bot.ui.embeds import clip
from bot.ui.message import localized
from bot.ui.mock_embeds import (
    echo_embed,
    interviewer_content,
    opening_embed,
    second_question_embed,
    thread_name,
)
from bot.ui.mock_scorecard import packet_embed, scorecard_embed
from bot.ui.mock_text import notice_text
from bot.ui.mock_views import respond_view
from bot.ui.permissions import missing
from bot.ui.replies import NO_PINGS

if TYPE_CHECKING:
    from bot.host import StudyBot

log = logging.getLogger(__name__)

# Longer than any round plus its grace period, so Discord never archives a round mid-way.
ARCHIVE_MINUTES: Literal[1440] = 1440
# What a round's private thread needs in its channel.
NEEDED = ("view_channel", "create_private_threads", "send_messages_in_threads", "embed_links")


class DiscordMockRoom:
    def __init__(self, bot: StudyBot) -> None:
        self._bot = bot

    async def open_thread(
        self,
        channel_id: int,
        user_id: int,
        display_name: str,
        round_name: Round,
        locale: str | None = None,
    ) -> int:
        channel = self._bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel):
            raise PublishError(
                tr(locale, "that channel is not a text channel."),
                tr(locale, "Use `/mock start` in a text channel."),
                certain_not_sent=True,
            )
        lacking = missing(channel, NEEDED)
        if lacking:
            raise PublishError(
                localized(
                    locale,
                    N_("I am missing {permissions} in {channel}."),
                    {"permissions": lacking, "channel": channel.mention},
                ),
                tr(locale, "Ask an admin to grant them to my role there, or use another channel."),
                certain_not_sent=True,
            )
        try:
            thread = await channel.create_thread(
                name=thread_name(round_name, display_name, locale),
                type=discord.ChannelType.private_thread,
                auto_archive_duration=ARCHIVE_MINUTES,
            )
        except discord.HTTPException as exc:
            raise PublishError(
                tr(locale, "Discord refused the thread ({error}).", error=exc.text or exc.status),
                tr(locale, "Try again in a moment, or in another channel."),
                certain_not_sent=True,
            ) from None
        try:
            await thread.add_user(discord.Object(user_id))
        except discord.HTTPException as exc:
            with contextlib.suppress(discord.HTTPException):
                await thread.delete()
            raise PublishError(
                tr(
                    locale,
                    "I could not add you to the thread ({error}).",
                    error=exc.text or exc.status,
                ),
                tr(locale, "Ask an admin to check my thread permissions."),
                certain_not_sent=True,
            ) from None
        return thread.id

    async def _thread(self, mock: MockRound) -> discord.Thread:
        if mock.thread_id is None:
            raise PublishError(
                tr(mock.locale, "the round has no thread."), "", certain_not_sent=True
            )
        channel: Any = self._bot.get_channel(mock.thread_id)
        if channel is None:
            try:
                channel = await self._bot.fetch_channel(mock.thread_id)
            except discord.HTTPException as exc:
                raise PublishError(
                    tr(mock.locale, "the round's thread is gone ({error}).", error=exc.status),
                    "",
                    certain_not_sent=True,
                ) from None
        if not isinstance(channel, discord.Thread):
            raise PublishError(
                tr(mock.locale, "the round's thread is not a thread."), "", certain_not_sent=True
            )
        return channel

    async def _send(self, mock: MockRound, content: str | None = None, **kwargs: Any) -> None:
        thread = await self._thread(mock)
        kwargs.setdefault("allowed_mentions", NO_PINGS)
        try:
            await thread.send(content, **kwargs)
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
            raise PublishError(
                tr(mock.locale, "Discord failed the message ({error}).", error=str(exc)),
                "",
                certain_not_sent=False,
            ) from None

    def _runs_code(self, mock: MockRound) -> bool:
        code_runs = self._bot.services.code_runs
        questions = [mock.question_id, *filter(None, [mock.second_question_id])]
        return mock.round == "coding" and any(code_runs.has_tests(q) for q in questions)

    async def post_opening(
        self, mock: MockRound, question: Question, loop: LoopPlace | None
    ) -> None:
        # The one ping a round makes: the candidate, in their own new thread.
        await self._send(
            mock,
            tr(mock.locale, "{member}, your interviewer is ready.", member=f"<@{mock.user_id}>"),
            embed=opening_embed(
                mock,
                question,
                loop,
                plain_messages=self._bot.settings.bot_message_content,
                locale=mock.locale,
            ),
            view=respond_view(mock.round_id, runs_code=self._runs_code(mock), locale=mock.locale),
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, users=[discord.Object(mock.user_id)]
            ),
        )

    async def post_second_question(self, mock: MockRound, question: Question) -> None:
        await self._send(
            mock,
            embed=second_question_embed(mock, question, mock.locale),
            view=respond_view(mock.round_id, runs_code=self._runs_code(mock), locale=mock.locale),
        )

    async def post_echo(self, mock: MockRound, display_name: str, text: str) -> None:
        await self._send(mock, embed=echo_embed(display_name, text, mock.locale))

    async def post_interviewer(
        self, mock: MockRound, line: InterviewerLine, *, reply_to: int | None
    ) -> None:
        reference = None
        if reply_to is not None and mock.thread_id is not None:
            reference = discord.MessageReference(
                message_id=reply_to, channel_id=mock.thread_id, fail_if_not_exists=False
            )
        if line.is_last:  # nothing left to answer: no button to press
            await self._send(mock, interviewer_content(line, mock.locale), reference=reference)
        else:
            await self._send(
                mock,
                interviewer_content(line, mock.locale),
                view=respond_view(
                    mock.round_id, runs_code=self._runs_code(mock), locale=mock.locale
                ),
                reference=reference,
            )

    async def post_notice(self, mock: MockRound, notice: Notice) -> None:
        text = clip(notice_text(notice, mock.locale), 2000)
        if isinstance(notice, Nudge):  # the clock's reminders invite an answer
            view = respond_view(mock.round_id, runs_code=self._runs_code(mock), locale=mock.locale)
            await self._send(mock, text, view=view)
        else:
            await self._send(mock, text)

    async def post_scorecard(self, card: Scorecard) -> None:
        await self._send(card.mock, embed=scorecard_embed(card, card.mock.locale))

    async def post_packet(self, mock: MockRound, packet: Packet) -> None:
        await self._send(mock, embed=packet_embed(packet, mock.locale))

    async def archive(self, mock: MockRound) -> None:
        thread = await self._thread(mock)
        try:
            await thread.edit(archived=True)
        except discord.HTTPException as exc:
            raise PublishError(
                f"archiving failed ({exc.status}).", "", certain_not_sent=True
            ) from None

    @contextlib.asynccontextmanager
    async def typing(self, mock: MockRound) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            # A typing indicator is a nicety: if Discord refuses it, the turn goes on.
            with contextlib.suppress(PublishError, discord.HTTPException):
                thread = await self._thread(mock)
                await stack.enter_async_context(thread.typing())
            yield
