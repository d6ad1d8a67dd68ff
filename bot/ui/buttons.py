"""Buttons that survive restarts: the key they act on lives in their custom_id."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Self

import discord

from bot.domain.errors import UserError
from bot.i18n.messages import tr
from bot.ui.replies import report_error

# The largest id a database or Discord holds: a 64-bit signed integer.
MAX_ID = 2**63 - 1


def checked_id(text: str) -> int:
    """An id read from a custom_id, which a modified client can set to anything."""
    number = int(text)
    if not 0 < number <= MAX_ID:
        raise UserError("That button or form does not point at anything here.", code="bad-id")
    return number


class KeyedButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A dynamic button whose custom_id is `prefix:key`. A subclass names its prefix (and the
    key's pattern) in its class line, sets its look, and implements `pressed`; any error
    becomes the usual ephemeral reply."""

    prefix: ClassVar[str]
    # English, marked with N_ for the catalog; shown through `tr`.
    button_label: ClassVar[str]
    button_style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.primary
    button_emoji: ClassVar[str | None] = None

    def __init_subclass__(cls, *, prefix: str, key: str = r"\d+") -> None:
        super().__init_subclass__(template=rf"{re.escape(prefix)}:(?P<key>{key})")
        cls.prefix = prefix

    def __init__(self, key: int | str, locale: object = None) -> None:
        """`locale`: the language of the label (the server's on a channel post, the member's
        on a private reply); a button rebuilt from a custom_id needs none."""
        super().__init__(
            discord.ui.Button(
                label=tr(locale, self.button_label),
                style=self.button_style,
                emoji=self.button_emoji,
                custom_id=f"{self.prefix}:{key}",
            )
        )
        self.key = str(key)

    @property
    def number(self) -> int:
        """The key of a button keyed by an id (a database id or a Discord snowflake)."""
        return checked_id(self.key)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> Self:
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.pressed(interaction)
        except Exception as error:
            await report_error(interaction, error)

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError
