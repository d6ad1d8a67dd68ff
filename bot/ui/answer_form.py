"""The form members answer daily and practice questions in, and where its submissions land.

Submissions are handled from the bot's interaction listener (`handle_answer_form`), not by the
modal object: discord.py forgets open modals on a restart, and a member who opened the form
before one must not lose what they typed. The custom_id carries everything needed to file it.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.domain.errors import UserError
from bot.host import bot_of
from bot.i18n.messages import tr
from bot.services.answers import MAX_ANSWER_CHARS, AnswerOutcome
from bot.ui.buttons import checked_id
from bot.ui.cooldowns import throttle
from bot.ui.feedback import send_answer_outcome
from bot.ui.mock_embeds import kept_text_embed
from bot.ui.replies import refusal_text, reply, report_error, server_of

_FORM_ID = re.compile(
    r"daily:modal:(?P<post>\d{1,20})|practice:modal:(?P<question>[a-z0-9-]{1,60})"
)


def is_answer_form(custom_id: str) -> bool:
    return _FORM_ID.fullmatch(custom_id) is not None


class AnswerForm(discord.ui.Modal):
    def __init__(
        self, kind: str, key: int | str, title: str, placeholder: str, locale: object
    ) -> None:
        super().__init__(title=title[:45], custom_id=f"{kind}:modal:{key}", timeout=None)
        self.answer: discord.ui.TextInput[AnswerForm] = discord.ui.TextInput(
            label=tr(locale, "Your answer"),
            custom_id="answer",
            style=discord.TextStyle.paragraph,
            max_length=MAX_ANSWER_CHARS,
            placeholder=placeholder,
        )
        self.add_item(self.answer)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Handled by `handle_answer_form` (see the module docstring)."""


def daily_form(post_id: int, question_title: str, locale: object = None) -> AnswerForm:
    """The form in the member's language (`locale`: their interaction's)."""
    return AnswerForm(
        "daily",
        post_id,
        tr(locale, "Answer · {title}", title=question_title),
        tr(locale, "Explain your approach, trade-offs and complexity. Only you see the feedback."),
        locale,
    )


def practice_form(question_id: str, question_title: str, locale: object = None) -> AnswerForm:
    return AnswerForm(
        "practice",
        question_id,
        tr(locale, "Practice · {title}", title=question_title),
        tr(locale, "Answer as you would in the interview. Only you see the feedback."),
        locale,
    )


def _text_inputs(components: list[Any]) -> dict[str, str]:
    """The submitted values by custom_id, for both the action-row and the label layouts."""
    values: dict[str, str] = {}
    for component in components:
        if component.get("type") == 1:
            values.update(_text_inputs(component.get("components") or []))
        elif component.get("type") == 18 and isinstance(component.get("component"), dict):
            values.update(_text_inputs([component["component"]]))
        elif "custom_id" in component:
            values[str(component["custom_id"])] = str(component.get("value") or "")
    return values


async def handle_answer_form(interaction: discord.Interaction[Any]) -> bool:
    """Grade a submitted answer form, whether or not this process opened it; False when the
    submission is not an answer form."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return False
    data: Any = interaction.data or {}
    match = _FORM_ID.fullmatch(str(data.get("custom_id", "")))
    if match is None:
        return False
    content = _text_inputs(list(data.get("components") or [])).get("answer", "")
    try:
        guild_id = server_of(interaction)
        await throttle(interaction, "answer")
        # Grading can take longer than the 3 s Discord allows for a first response.
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await _submit(interaction, guild_id, match, content)
        await send_answer_outcome(interaction, outcome)
    except UserError as refused:
        # The form is closed once submitted: hand the text back with the refusal.
        text = refusal_text(interaction, refused)
        if content.strip():
            await reply(interaction, text, embed=kept_text_embed(content, interaction.locale))
        else:
            await reply(interaction, text)
    except Exception as error:
        await report_error(interaction, error)
    return True


async def _submit(
    interaction: discord.Interaction[Any], guild_id: int, match: re.Match[str], content: str
) -> AnswerOutcome:
    services = bot_of(interaction).services
    user, locale = interaction.user, str(interaction.locale)
    if match["post"] is not None:
        return await services.answers.submit_daily(
            guild_id=guild_id,
            user_id=user.id,
            display_name=user.display_name,
            post_id=checked_id(match["post"]),
            content=content,
            locale=locale,
        )
    return await services.practice.submit(
        guild_id=guild_id,
        user_id=user.id,
        display_name=user.display_name,
        question_id=match["question"],
        content=content,
        locale=locale,
    )
