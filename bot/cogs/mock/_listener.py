"""Turns written as messages in a round's thread: those that mention the bot, and every message
when the message-content intent is on (BOT_MESSAGE_CONTENT=true)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.domain.errors import UserError
from bot.ui.cooldowns import check_cooldown
from bot.ui.message import localized, render
from bot.ui.mock_text import strip_mention
from bot.ui.replies import NO_PINGS

if TYPE_CHECKING:
    from bot.host import StudyBot

log = logging.getLogger(__name__)


def refused_in(locale: str | None, refused: UserError) -> str:
    """A refusal in `locale`: a message of one text is a msgid (its references are params); one
    of several parts is rendered as written."""
    match refused.parts:
        case (str() as text,):
            return localized(locale, text, refused.params)
        case parts:
            return render(parts)


class MockThreadListener(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if (
            me is None
            or message.author.bot
            or message.guild is None
            or not isinstance(message.channel, discord.Thread)
        ):
            return
        mentioned = any(user.id == me.id for user in message.mentions)
        if not mentioned and not self.bot.settings.bot_message_content:
            return
        mocks = self.bot.services.mocks
        mock = await mocks.round_for_thread(message.channel.id)
        if mock is None or (not mock.is_active and not mentioned):
            return
        if message.author.id != mock.user_id and not mentioned:
            return  # others may talk in the thread; only a direct address gets an answer
        try:
            await check_cooldown(self.bot, message.guild.id, message.author.id, "mock_turn")
            await mocks.take_turn(
                guild_id=message.guild.id,
                round_id=mock.round_id,
                user_id=message.author.id,
                display_name=message.author.display_name,
                text=strip_mention(message.content, me.id),
                source="mention" if mentioned else "message",
                message_id=message.id,
            )
        except UserError as exc:
            try:
                # Said in the thread, for all to read: in the round's language.
                await message.reply(refused_in(mock.locale, exc), allowed_mentions=NO_PINGS)
            except discord.HTTPException as http:
                log.warning("could not answer message %s: %s", message.id, http)
