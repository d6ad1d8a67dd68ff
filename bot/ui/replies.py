"""Sending replies the same way everywhere: ephemeral where asked, never pinging by accident."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord

from bot.domain.errors import UserError
from bot.i18n.messages import tr
from bot.ui.message import localized, render

log = logging.getLogger("bot.errors")

# Nothing the bot sends may ping @everyone, a role or a user unless a caller opts in explicitly.
NO_PINGS = discord.AllowedMentions.none()


async def reply(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    ephemeral: bool = True,
    **kwargs: Any,
) -> None:
    """Answer the interaction, or follow up when it was already answered or deferred."""
    kwargs.setdefault("allowed_mentions", NO_PINGS)
    if interaction.response.is_done():
        await interaction.followup.send(content or "", ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, **kwargs)


def refusal_text(interaction: discord.Interaction[Any], refused: UserError) -> str:
    """A refusal in the member's language: a message of one text is a msgid of the catalog (its
    references are params); one of several parts is rendered as written."""
    match refused.parts:
        case (str() as text,):
            return localized(interaction.locale, text, refused.params)
        case parts:
            return render(parts)


def server_of(interaction: discord.Interaction[Any]) -> int:
    """The server a button or form was used in: what every id read from a custom_id is checked
    against, since a modified client can send any custom_id from anywhere."""
    if interaction.guild_id is None:
        raise UserError("This button works inside a server, not in DMs.", code="dm")
    return interaction.guild_id


def error_code() -> str:
    return "E-" + secrets.token_hex(3).upper()


async def report_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """The one place errors become replies: a UserError is shown as is; anything else is logged
    with a short code that the member also sees, so an operator can find it."""
    original = getattr(error, "original", None) or error.__cause__ or error
    locale = interaction.locale
    if isinstance(original, UserError):
        text = refusal_text(interaction, original)
    elif isinstance(error, discord.app_commands.TransformerError):
        text = tr(
            locale,
            "`{value}` is not a valid value for that option. Nothing was changed.",
            value=str(error.value)[:50],
        )
    elif isinstance(error, discord.app_commands.CheckFailure) and not isinstance(
        error, discord.app_commands.CommandInvokeError
    ):
        # The checks' reasons are English msgids of the catalog.
        text = (
            tr(locale, str(error)) if str(error) else tr(locale, "You can't use this command here.")
        )
    else:
        code = error_code()
        log.error(
            "unexpected error %s in interaction %s (%s)",
            code,
            interaction.id,
            _describe(interaction),
            exc_info=(type(original), original, original.__traceback__),
        )
        text = tr(
            locale,
            "Something went wrong on my side (error code `{code}`). Please try again later.",
            code=code,
        )
    try:
        await reply(interaction, text, ephemeral=True)
    except discord.HTTPException as exc:
        log.warning("could not send error reply for interaction %s: %s", interaction.id, exc)


def _describe(interaction: discord.Interaction[Any]) -> str:
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    custom_id = interaction.data.get("custom_id") if interaction.data else None
    return str(custom_id or interaction.type.name)
