"""What paged embeds share: the Previous/Next button and turning a page on a press.

A page button's custom_id can be put on any of the bot's messages by a modified client, so a
press turns the page in place only when the pressed message shows that kind of embed (and the
caller allows it); otherwise the page is sent privately."""

from __future__ import annotations

from typing import Any, Literal

import discord

from bot.i18n.messages import N_, tr
from bot.ui.replies import NO_PINGS

Direction = Literal["p", "n"]
# i18n: the buttons that turn the pages of a leaderboard or a list.
PAGE_LABELS = {"p": N_("Previous"), "n": N_("Next")}


def page_button(
    custom_id: str, direction: Direction, *, disabled: bool, locale: object = None
) -> discord.ui.Button[Any]:
    """`locale`: the language of the label; a button rebuilt from a custom_id needs none."""
    return discord.ui.Button(
        label=tr(locale, PAGE_LABELS[direction]),
        emoji="◀️" if direction == "p" else "▶️",
        style=discord.ButtonStyle.secondary,
        disabled=disabled,
        custom_id=custom_id,
    )


def shows_embed_titled(message: discord.Message | None, title_prefix: str) -> bool:
    return bool(
        message is not None
        and message.embeds
        and (message.embeds[0].title or "").startswith(title_prefix)
    )


async def show_page(
    interaction: discord.Interaction[Any],
    embed: discord.Embed,
    view: discord.ui.View,
    *,
    in_place: bool,
) -> None:
    if in_place:
        await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NO_PINGS)
    else:
        await interaction.response.send_message(
            embed=embed, view=view, ephemeral=True, allowed_mentions=NO_PINGS
        )
