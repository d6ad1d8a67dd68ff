"""Leaderboard paging buttons. They are dynamic items that carry the board in their custom_id
(owner, period key, round, target page), so they keep working after a restart and keep showing
the period they were made for. The owner's press turns the page in place; anyone else gets the
same page privately, with their own rank."""

from __future__ import annotations

import re
from typing import Any, cast

import discord

from bot.domain.errors import UserError
from bot.host import bot_of
from bot.i18n.messages import N_, tr
from bot.services.leaderboard import BoardPage
from bot.ui.language import interaction_server_language
from bot.ui.leaderboard_embeds import BOARD_TITLE, leaderboard_embed
from bot.ui.paging import Direction, page_button, show_page, shows_embed_titled
from bot.ui.replies import report_error

NO_ROUND = "-"


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"lb:(?P<owner>\d+):(?P<key>all|w\d{4}-\d{2}-\d{2}|m\d{4}-\d{2}):"
    r"(?P<round>[a-z_]+|-):(?P<page>\d{1,3}):(?P<dir>[pn])",
):
    def __init__(
        self,
        owner: int,
        key: str,
        round_name: str | None,
        page: int,
        direction: Direction,
        *,
        disabled: bool = False,
        locale: object = None,
    ) -> None:
        custom_id = f"lb:{owner}:{key}:{round_name or NO_ROUND}:{page}:{direction}"
        super().__init__(page_button(custom_id, direction, disabled=disabled, locale=locale))
        self.owner = owner
        self.key = key
        self.round_name = round_name
        self.page = page

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> PageButton:
        round_name = None if match["round"] == NO_ROUND else match["round"]
        direction = cast("Direction", match["dir"])
        return cls(int(match["owner"]), match["key"], round_name, int(match["page"]), direction)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if interaction.guild_id is None:
                raise UserError("This button works inside a server.", code="dm")
            bot = bot_of(interaction)
            viewer = interaction.user.id
            board = await bot.services.leaderboard.page(
                interaction.guild_id, viewer, self.key, self.round_name, self.page
            )
            # A board is in the server's language, as when it was first posted in the channel.
            language = await interaction_server_language(interaction)
            # The owner id comes from the custom_id too: only the owner turns their own board.
            in_place = viewer == self.owner and shows_embed_titled(
                interaction.message, tr(language, BOARD_TITLE)
            )
            await show_page(
                interaction,
                leaderboard_embed(board, language),
                leaderboard_view(board, locale=language),
                in_place=in_place,
            )
        except Exception as error:
            await report_error(interaction, error)


LEADERBOARD_DYNAMIC_ITEMS = (PageButton,)


def web_link(view: discord.ui.View, url: str | None, locale: object = None) -> discord.ui.View:
    """A link to the server's board on the web companion, when it is public."""
    if url is not None:
        # i18n: a link button to the server's leaderboard on the bot's website.
        view.add_item(discord.ui.Button(label=tr(locale, N_("On the web")), url=url))
    return view


def leaderboard_view(
    board: BoardPage, web_url: str | None = None, *, locale: object = None
) -> discord.ui.View:
    """Previous and Next for the board's viewer (who owns the buttons), and the web link."""
    owner = board.viewer.user_id
    view = discord.ui.View(timeout=None)
    view.add_item(
        PageButton(
            owner,
            board.key,
            board.round_name,
            max(0, board.page - 1),
            "p",
            disabled=board.page == 0,
            locale=locale,
        )
    )
    view.add_item(
        PageButton(
            owner,
            board.key,
            board.round_name,
            board.page + 1,
            "n",
            disabled=not board.has_next,
            locale=locale,
        )
    )
    return web_link(view, web_url, locale)
