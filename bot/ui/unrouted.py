"""Buttons and forms nothing in this process handles (a forged or malformed custom_id, a form of
a round that ended, a component of an old message) still get a clear private answer, instead of
Discord's "interaction failed" spinner.

Whether anything handles an interaction is decided when it arrives, in the same step in which
discord.py routes it (`mark_routing`, from the bot's `dispatch`): its handlers run later as tasks
and may already have answered or been removed by the time the bot's own listener runs."""

from __future__ import annotations

from typing import Any

import discord

from bot.ui.answer_form import is_answer_form
from bot.ui.mock_embeds import kept_text_embed
from bot.ui.replies import reply

ROUTED = "routed"
STALE_BUTTON = (
    "This button doesn't work any more: what it belonged to has ended or is not in this "
    "server. Nothing was changed."
)
STALE_FORM = (
    "This form is no longer open: what it belonged to has ended or is not in this server. "
    "Nothing was saved."
)


def mark_routing(client: discord.Client, interaction: discord.Interaction[Any]) -> None:
    """Record on the interaction whether a registered handler will take it."""
    # discord.py 2.7's view store (private): the dynamic item patterns, the views by message
    # and the open modals by custom_id.
    store: Any = client._connection._view_store
    data: Any = interaction.data or {}
    custom_id = str(data.get("custom_id", ""))
    if interaction.type is discord.InteractionType.modal_submit:
        routed = is_answer_form(custom_id) or custom_id in store._modals
    elif interaction.type is discord.InteractionType.component:
        key = (data.get("component_type"), custom_id)
        message_id = interaction.message.id if interaction.message else None
        routed = (
            any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items)
            or key in store._views.get(message_id, {})
            or key in store._views.get(None, {})
        )
    else:
        routed = True
    interaction.extras[ROUTED] = routed


async def answer_unrouted(interaction: discord.Interaction[Any]) -> None:
    if interaction.extras.get(ROUTED, True) or interaction.response.is_done():
        return
    if interaction.type is discord.InteractionType.modal_submit:
        typed = "\n\n".join(v for v in _typed(interaction) if v.strip())
        if typed:
            await reply(interaction, STALE_FORM, embed=kept_text_embed(typed))
            return
        await reply(interaction, STALE_FORM)
        return
    await reply(interaction, STALE_BUTTON)


def _typed(interaction: discord.Interaction[Any]) -> list[str]:
    values: list[str] = []

    def walk(components: list[Any]) -> None:
        for component in components:
            if isinstance(component.get("components"), list):
                walk(component["components"])
            elif isinstance(component.get("component"), dict):
                walk([component["component"]])
            elif isinstance(component.get("value"), str):
                values.append(component["value"])

    data: Any = interaction.data or {}
    walk(list(data.get("components") or []))
    return values
