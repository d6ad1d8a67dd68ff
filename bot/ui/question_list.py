"""`/questions list` pages and their Previous/Next buttons. The buttons carry the round and the
target page in their custom_id, so they keep working after a restart; a press turns the page in
place when the pressed message is a question list, and otherwise answers privately."""

from __future__ import annotations

import re
from typing import Any, cast

import discord

from bot.content.schema import ROUNDS, Round
from bot.host import bot_of
from bot.i18n.messages import ntr
from bot.services.questions import QuestionListing, QuestionPage
from bot.ui.embeds import BRAND, round_label
from bot.ui.paging import Direction, page_button, show_page, shows_embed_titled
from bot.ui.replies import report_error, server_of

LIST_TITLE = "Questions"
NO_ROUND = "-"


def _line(row: QuestionListing) -> str:
    strike = "~~" if row.disabled else ""
    custom = " (custom)" if row.custom else ""
    return f"{strike}`{row.question_id}` {row.title}{strike}{custom}"


def question_list_embed(page: QuestionPage) -> discord.Embed:
    scope = round_label(page.round_name) if page.round_name else "all rounds"
    embed = discord.Embed(
        title=f"{LIST_TITLE} · {scope}",
        description="\n".join(_line(r) for r in page.rows) or "None.",
        colour=BRAND,
    )
    embed.set_footer(
        text=f"Page {page.page + 1}/{page.pages} · "
        f"{ntr(None, '{n} question', '{n} questions', page.total)} · {page.custom} custom · "
        f"{page.disabled} disabled"
    )
    return embed


class ListPageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"ql:(?P<round>[a-z_]+|-):(?P<page>\d{1,4}):(?P<dir>[pn])",
):
    def __init__(
        self,
        round_name: Round | None,
        page: int,
        direction: Direction,
        *,
        disabled: bool = False,
        locale: object = None,
    ) -> None:
        super().__init__(
            page_button(
                f"ql:{round_name or NO_ROUND}:{page}:{direction}",
                direction,
                disabled=disabled,
                locale=locale,
            )
        )
        self.round_name = round_name
        self.page = page

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> ListPageButton:
        named = match["round"]
        round_name = cast("Round", named) if named in ROUNDS else None
        direction = cast("Direction", match["dir"])
        return cls(round_name, int(match["page"]), direction)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            guild_id = server_of(interaction)
            page = await bot_of(interaction).services.questions.listing_page(
                guild_id, self.round_name, self.page
            )
            await show_page(
                interaction,
                question_list_embed(page),
                question_list_view(page, interaction.locale),
                in_place=shows_embed_titled(interaction.message, f"{LIST_TITLE} · "),
            )
        except Exception as error:
            await report_error(interaction, error)


QUESTION_LIST_DYNAMIC_ITEMS = (ListPageButton,)


def question_list_view(page: QuestionPage, locale: object = None) -> discord.ui.View:
    """Previous and Next; no buttons when everything fits one page."""
    view = discord.ui.View(timeout=None)
    if page.pages == 1:
        return view
    previous = max(0, page.page - 1)
    view.add_item(
        ListPageButton(page.round_name, previous, "p", disabled=page.page == 0, locale=locale)
    )
    view.add_item(
        ListPageButton(
            page.round_name,
            page.page + 1,
            "n",
            disabled=page.page + 1 >= page.pages,
            locale=locale,
        )
    )
    return view
