"""The one-time notice that answers are sent to Anthropic: shown in the first answer form a
member opens (daily or practice) or with their first mock round, before anything they write
leaves the bot, and only when the Claude grader is configured."""

from __future__ import annotations

from typing import Any

import discord

from bot.host import bot_of
from bot.i18n.messages import N_, tr
from bot.ui.replies import reply

# Shown in the member's language (`interaction.locale`): the form and the reply are theirs alone.
AI_NOTICE_TEXT = N_(
    "🔒 **Before your first answer here:** what you write in answers and mock rounds is sent to "
    "Anthropic (the maker of Claude) to be graded and to run the AI interviewer, and this bot "
    "keeps it for this server. `/privacy export` gives you a copy, `/privacy delete` removes it, "
    "`/privacy hide` keeps you off the leaderboards. This note is shown once."
)


async def _notice_due(interaction: discord.Interaction[Any]) -> bool:
    guild_id = interaction.guild_id
    if guild_id is None:
        return False
    return await bot_of(interaction).services.privacy.notice_due(guild_id, interaction.user.id)


async def _shown(interaction: discord.Interaction[Any]) -> None:
    assert interaction.guild_id is not None  # only due inside a guild
    await bot_of(interaction).services.privacy.notice_shown(
        interaction.guild_id, interaction.user.id
    )


async def send_answer_form(interaction: discord.Interaction[Any], modal: discord.ui.Modal) -> None:
    """Open an answer form; when the notice is due it comes first in the form itself, so it is
    read before the answer is written, without an extra click."""
    due = await _notice_due(interaction)
    if due:
        fields = list(modal.children)
        modal.clear_items()
        modal.add_item(discord.ui.TextDisplay(tr(interaction.locale, AI_NOTICE_TEXT)))
        for field in fields:
            modal.add_item(field)
    await interaction.response.send_modal(modal)
    if due:
        await _shown(interaction)


async def reply_with_notice(interaction: discord.Interaction[Any], text: str) -> None:
    """Reply, with the notice added when it is due (a mock round: the member has not written
    anything in it yet)."""
    due = await _notice_due(interaction)
    notice = tr(interaction.locale, AI_NOTICE_TEXT)
    await reply(interaction, f"{text}\n\n{notice}" if due else text)
    if due:
        await _shown(interaction)
