"""The Discord side of the services' `Publisher` port: sending posts, reveals and notices."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import aiohttp
import discord

from bot.content.schema import Question
from bot.domain.grading import Grade
from bot.domain.message import Channel, Command
from bot.domain.models import DailyPost, PostStats
from bot.domain.spend import Fallback
from bot.host import StudyBot
from bot.i18n.messages import N_, SOURCE_LOCALE, tr
from bot.services.ports import AdminNotice, Published, PublishError
from bot.ui.daily_notices import notice_text
from bot.ui.daily_views import daily_view
from bot.ui.embeds import clip, daily_embed, post_footer, reveal_embed
from bot.ui.feedback import feedback_messages
from bot.ui.language import server_language
from bot.ui.pacer import FOLLOW_UP, POST, Pacer
from bot.ui.permissions import PERMISSION_NAMES, missing
from bot.ui.replies import NO_PINGS

if TYPE_CHECKING:
    from discord.ext.commands import Bot

log = logging.getLogger(__name__)

# Discord's global limit is 50/s; the margin leaves room for followups and other traffic.
PACED_REQUESTS_PER_SECOND = 48.0
# A bucket of two keeps the time a late wake-up loses, and any one second still holds at most
# 48 + 2 = 50 requests.
PACER_BURST = 2
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440
THREAD_ALREADY_CREATED = 160004  # Discord's code: this message already has a thread
# What the daily post needs in its channel (its discussion thread is the last).
NEEDED = ("view_channel", "send_messages", "embed_links", "create_public_threads")
THREADS = PERMISSION_NAMES["create_public_threads"]
SETUP = Command("/daily setup")


class DiscordPublisher:
    def __init__(self, bot: Bot, pacer: Pacer | None = None) -> None:
        self._bot = bot
        self._pacer = pacer or Pacer(PACED_REQUESTS_PER_SECOND, burst=PACER_BURST)

    async def _text_channel(self, channel_id: int) -> discord.TextChannel:
        channel = self._bot.get_channel(channel_id)
        if channel is None:
            try:
                fetched = await self._bot.fetch_channel(channel_id)
            except discord.NotFound:
                raise _gone() from None
            except discord.Forbidden:
                raise PublishError(
                    N_("I can no longer see the daily channel."),
                    N_("Give me {permissions} there, or run {command} with another channel."),
                    certain_not_sent=True,
                    permissions=(PERMISSION_NAMES["view_channel"],),
                    command=SETUP,
                ) from None
            channel = fetched
        if not isinstance(channel, discord.TextChannel):
            raise PublishError(
                N_("The daily channel is not a text channel."),
                N_("Run {command} with a text channel."),
                certain_not_sent=True,
                command=SETUP,
            )
        return channel

    def missing_permissions(self, channel: discord.TextChannel, locale: object = None) -> list[str]:
        """The permissions the daily post needs in `channel` that the bot lacks, in `locale`."""
        return [tr(locale, label) for label in missing(channel, NEEDED)]

    async def _language(self, guild_id: int) -> str:
        """The server's language for what the bot posts in its channels."""
        if isinstance(self._bot, StudyBot):
            return await server_language(self._bot, guild_id)
        return SOURCE_LOCALE

    async def publish_daily(
        self, post: DailyPost, question: Question, ping_role_id: int | None
    ) -> Published:
        channel = await self._text_channel(post.channel_id)
        language = await self._language(post.guild_id)
        essential = tuple(m for m in missing(channel, NEEDED) if m != THREADS)
        if essential:
            raise PublishError(
                N_("I am missing {permissions} in {channel}."),
                N_("Grant them to my role in that channel's permissions."),
                certain_not_sent=True,
                permissions=essential,
                channel=Channel(channel.id),
            )
        content = f"<@&{ping_role_id}>" if ping_role_id else None
        mentions = (
            discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(ping_role_id)]
            )
            if ping_role_id
            else NO_PINGS
        )
        try:
            async with self._pacer.slot(POST):
                message = await channel.send(
                    content,
                    embed=daily_embed(question, post, language),
                    view=daily_view(
                        post.post_id, clarify=bool(question.clarifications), locale=language
                    ),
                    allowed_mentions=mentions,
                )
        except discord.Forbidden as exc:
            # i18n: {error} is Discord's own reason, in English.
            raise PublishError(
                N_("Discord refused the post in {channel} ({error})."),
                N_("Check my permissions in that channel."),
                certain_not_sent=True,
                channel=Channel(channel.id),
                error=exc.text or "forbidden",
            ) from None
        except discord.NotFound:
            raise _gone() from None
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
            # i18n: {error} is the error Discord or the network gave, in English.
            raise PublishError(
                N_("Discord failed the post ({error})."),
                N_("Nothing to do: it is retried automatically."),
                certain_not_sent=False,
                error=str(exc),
            ) from None
        return Published(message.id, None)

    async def open_discussion(self, post: DailyPost, question: Question) -> int | None:
        if post.message_id is None:
            return None
        try:
            channel = await self._text_channel(post.channel_id)
            if THREADS in missing(channel, NEEDED):
                return None
            language = await self._language(post.guild_id)
            async with self._pacer.slot(FOLLOW_UP):
                thread = await channel.get_partial_message(post.message_id).create_thread(
                    name=clip(
                        tr(language, "Discuss · {title}", title=question.title_in(language)), 100
                    ),
                    auto_archive_duration=THREAD_ARCHIVE_MINUTES,
                )
        except discord.HTTPException as exc:
            if exc.code == THREAD_ALREADY_CREATED:
                return post.message_id  # a thread started from a message takes its id
            log.warning("discussion thread for post %s failed: %s", post.post_id, exc)
            return None
        except PublishError as exc:
            log.warning("discussion thread for post %s failed: %s", post.post_id, exc)
            return None
        return thread.id

    async def find_published(self, post: DailyPost) -> Published | None:
        try:
            channel = await self._text_channel(post.channel_id)
            marker = post_footer(post)
            me = self._bot.user
            async for message in channel.history(limit=50):
                if me is None or message.author.id != me.id:
                    continue
                if any(e.footer.text == marker for e in message.embeds):
                    thread = message.thread or channel.get_thread(message.id)
                    return Published(message.id, thread.id if thread else None)
        except (PublishError, discord.HTTPException) as exc:
            log.warning("could not look for post %s: %s", post.post_id, exc)
        return None

    async def publish_reveal(self, post: DailyPost, question: Question, stats: PostStats) -> None:
        target = await self._discussion(post) or await self._text_channel(post.channel_id)
        embed = reveal_embed(post, question, stats, await self._language(post.guild_id))
        try:
            if isinstance(target, discord.Thread) and target.archived:
                await target.edit(archived=False)
            await target.send(embed=embed, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            raise PublishError(
                "The reveal could not be posted ({error}).",
                "",
                certain_not_sent=True,
                error=str(exc),
            ) from None

    async def _discussion(self, post: DailyPost) -> discord.Thread | None:
        """The post's thread, fetched when the cache lost it (archived, or after a restart)."""
        if not post.thread_id:
            return None
        cached = self._bot.get_channel(post.thread_id)
        if isinstance(cached, discord.Thread):
            return cached
        try:
            fetched = await self._bot.fetch_channel(post.thread_id)
        except discord.HTTPException as exc:
            log.warning("thread of post %s not reachable: %s", post.post_id, exc)
            return None
        return fetched if isinstance(fetched, discord.Thread) else None

    async def notify_admins(self, guild_id: int, channel_id: int, notice: AdminNotice) -> None:
        channel = self._bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            return
        text = notice_text(await self._language(guild_id), notice)
        try:
            await channel.send(clip(f"⚠ {text}", 2000), allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            raise PublishError(
                "notice failed ({error})", "", certain_not_sent=True, error=str(exc)
            ) from None

    async def deliver_feedback(
        self,
        user_id: int,
        question: Question,
        grade: Grade,
        *,
        guild_id: int | None = None,
        fallback: Fallback | None = None,
        locale: str | None = None,
    ) -> bool:
        """A DM with the late feedback, in the language the member answered in (`locale`);
        False when DMs are closed (shown on next use instead)."""
        guild = self._bot.get_guild(guild_id) if guild_id else None
        messages = feedback_messages(
            question, grade, points=None, resubmission=False, fallback=fallback, locale=locale
        )
        intro = (
            tr(
                locale,
                "📬 Your feedback in **{server}** is ready; your answer was saved while the "
                "grader was busy.",
                server=discord.utils.escape_markdown(guild.name),
            )
            if guild
            else tr(
                locale,
                "📬 Your feedback is ready; your answer was saved while the grader was busy.",
            )
        )
        try:
            user = self._bot.get_user(user_id) or await self._bot.fetch_user(user_id)
            for index, embeds in enumerate(messages):
                await user.send(
                    intro if index == 0 else None,
                    embeds=embeds,
                    allowed_mentions=NO_PINGS,
                )
        except discord.HTTPException as exc:
            log.info("feedback DM to %s failed: %s", user_id, exc)
            return False
        return True


def _gone() -> PublishError:
    return PublishError(
        N_("The daily channel no longer exists."),
        N_("Run {command} with another channel."),
        certain_not_sent=True,
        command=SETUP,
    )
