"""The peer session's buttons and the feedback modal. Buttons are dynamic items with the session
id in their custom_id, so they keep working after a restart; every decision is the service's."""

from __future__ import annotations

import re
from typing import Any, Literal, cast

import discord

from bot.domain.peer_feedback import score_template
from bot.host import bot_of
from bot.i18n.messages import N_, tr
from bot.services.peers import PeerService
from bot.services.peers.feedback import FEEDBACK_TEXT_MAX
from bot.ui.language import interaction_server_language
from bot.ui.peer_embeds import (
    BUTTON_LABELS,
    end_text,
    feedback_sent_text,
    question_embed,
    swap_text,
)
from bot.ui.peer_guide import guide_messages
from bot.ui.replies import NO_PINGS, reply, report_error, server_of

Action = Literal["here", "guide", "swap", "end", "noshow", "feedback", "noai"]
_BUTTONS: dict[str, tuple[discord.ButtonStyle, str]] = {
    "here": (discord.ButtonStyle.success, "👋"),
    "guide": (discord.ButtonStyle.primary, "📋"),
    "swap": (discord.ButtonStyle.secondary, "🔄"),
    "end": (discord.ButtonStyle.danger, "🏁"),
    "noshow": (discord.ButtonStyle.secondary, "🚫"),
    "feedback": (discord.ButtonStyle.primary, "📝"),
    "noai": (discord.ButtonStyle.secondary, "🔒"),
}
# Shown to both members in the thread's first message, before anything is sent (in the server's
# language, as the thread is).
PEER_AI_NOTICE = N_(
    "🤖 When this session ends, what you both type in this thread is sent to Anthropic "
    "(Claude) to write each candidate private AI notes. Either of you can press **No AI notes** "
    "before it ends: then nothing of this session is sent."
)
NO_AI_NOTES = N_("🔒 No AI notes for this session: nothing typed here will be sent to Anthropic.")


def _peers(interaction: discord.Interaction[Any]) -> PeerService:
    return bot_of(interaction).services.peers


class FeedbackModal(discord.ui.Modal):
    """Scores share one box (a modal holds five inputs; a rubric has up to six criteria)."""

    def __init__(
        self,
        session_id: int,
        receiver_name: str | None,
        criteria: list[str],
        locale: object = None,
    ) -> None:
        title = (
            tr(locale, "Feedback for {name}", name=receiver_name)
            if receiver_name
            else tr(locale, "Feedback for your partner")
        )
        super().__init__(
            title=title[:45],
            custom_id=f"peer:feedbackform:{session_id}",
            timeout=None,
        )
        self.session_id = session_id
        self.scores: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
            label=tr(locale, "Scores 1-5, one line per criterion")[:45],
            custom_id="scores",
            style=discord.TextStyle.paragraph,
            default=score_template(criteria),
            max_length=1000,
            required=False,
        )
        self.went_well: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
            label=tr(locale, "What went well")[:45],
            custom_id="went_well",
            style=discord.TextStyle.paragraph,
            max_length=FEEDBACK_TEXT_MAX,
            required=False,
        )
        self.to_improve: discord.ui.TextInput[FeedbackModal] = discord.ui.TextInput(
            label=tr(locale, "What to work on")[:45],
            custom_id="to_improve",
            style=discord.TextStyle.paragraph,
            max_length=FEEDBACK_TEXT_MAX,
            required=False,
        )
        for item in (self.scores, self.went_well, self.to_improve):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        # Delivery is a DM round trip: answer within Discord's 3 s first.
        guild_id = server_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await _peers(interaction).feedback.submit(
            self.session_id,
            interaction.user.id,
            guild_id=guild_id,
            scores_text=self.scores.value,
            went_well=self.went_well.value,
            to_improve=self.to_improve.value,
        )
        await reply(interaction, feedback_sent_text(outcome, interaction.locale))

    async def on_error(  # type: ignore[override]  # discord.py types Modal.on_error narrower
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await report_error(interaction, error)


class PeerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"peer:(?P<action>here|guide|swap|end|noshow|feedback|noai):(?P<session_id>\d{1,18})",
):
    def __init__(self, action: Action, session_id: int, locale: object = None) -> None:
        style, emoji = _BUTTONS[action]
        super().__init__(
            discord.ui.Button(
                label=tr(locale, BUTTON_LABELS[action]),
                style=style,
                emoji=emoji,
                custom_id=f"peer:{action}:{session_id}",
            )
        )
        self.action: Action = action
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> PeerButton:
        return cls(cast(Action, match["action"]), int(match["session_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handlers = {
            "here": self._here,
            "guide": self._guide,
            "swap": self._swap,
            "end": self._end,
            "noshow": self._noshow,
            "feedback": self._feedback,
            "noai": self._noai,
        }
        try:
            await handlers[self.action](interaction)
        except Exception as error:
            await report_error(interaction, error)

    async def _here(self, interaction: discord.Interaction[Any]) -> None:
        session = await _peers(interaction).sessions.check_in(
            self.session_id, interaction.user.id, guild_id=server_of(interaction)
        )
        locale = interaction.locale
        if session.interviewer_id == interaction.user.id:
            text = tr(locale, "👋 Checked in. You are the **interviewer** in this half.")
        else:
            text = tr(locale, "👋 Checked in. You are the **candidate** in this half.")
        await reply(interaction, text)

    async def _guide(self, interaction: discord.Interaction[Any]) -> None:
        guide = await _peers(interaction).sessions.guide(
            self.session_id, interaction.user.id, guild_id=server_of(interaction)
        )
        for embeds in guide_messages(guide.session, guide.question, guide.half, interaction.locale):
            await reply(interaction, embeds=embeds)

    async def _swap(self, interaction: discord.Interaction[Any]) -> None:
        outcome = await _peers(interaction).sessions.swap(
            self.session_id, interaction.user.id, guild_id=server_of(interaction)
        )
        assert outcome.question is not None
        session = outcome.session
        # Posted in the thread: the server's language.
        language = await interaction_server_language(interaction)
        await reply(
            interaction,
            swap_text(outcome, language),
            ephemeral=False,
            embed=question_embed(
                outcome.question,
                candidate_id=session.candidate_id,
                second_half=True,
                locale=language,
            ),
            view=session_view(session.session_id, half=2, locale=language),
        )

    async def _end(self, interaction: discord.Interaction[Any]) -> None:
        peers = _peers(interaction)
        outcome = await peers.sessions.end(
            self.session_id, interaction.user.id, guild_id=server_of(interaction)
        )
        language = await interaction_server_language(interaction)
        await reply(
            interaction,
            end_text(outcome, locale=language),
            ephemeral=False,
            view=feedback_view(self.session_id, language),
        )
        await peers.notes.summarize(outcome.session)

    async def _noshow(self, interaction: discord.Interaction[Any]) -> None:
        peers = _peers(interaction)
        outcome = await peers.sessions.report_no_show(
            self.session_id, interaction.user.id, guild_id=server_of(interaction)
        )
        reporter = f"<@{interaction.user.id}>"
        language = await interaction_server_language(interaction)
        await reply(
            interaction,
            tr(
                language,
                "🚫 Recorded: {absent} did not show up, and this session is closed. {reporter} is "
                "back at the **front** of the queue for this round.",
                absent=f"<@{outcome.absent_id}>",
                reporter=reporter,
            ),
            ephemeral=False,
        )
        match = await peers.matching.rematch(outcome.entry)
        if match is not None and match.session is not None:
            text = tr(
                language,
                "{member}: you are matched again, in {thread}.",
                member=reporter,
                thread=f"<#{match.session.thread_id}>",
            )
        else:
            text = tr(
                language,
                "{member}: I will ping you in a new thread when someone joins.",
                member=reporter,
            )
        await interaction.followup.send(text, allowed_mentions=NO_PINGS)

    async def _noai(self, interaction: discord.Interaction[Any]) -> None:
        await _peers(interaction).notes.decline(
            self.session_id, interaction.user.id, guild_id=server_of(interaction)
        )
        language = await interaction_server_language(interaction)
        await reply(interaction, tr(language, NO_AI_NOTES), ephemeral=False)

    async def _feedback(self, interaction: discord.Interaction[Any]) -> None:
        # Checked from the database only: a modal must be the first response, within 3 s.
        form = await _peers(interaction).feedback.form(
            self.session_id, interaction.user.id, guild_id=server_of(interaction)
        )
        await interaction.response.send_modal(
            FeedbackModal(
                self.session_id,
                form.receiver_name,
                [c.name for c in form.question.rubric],
                interaction.locale,
            )
        )


PEER_DYNAMIC_ITEMS = (PeerButton,)


def session_view(
    session_id: int, *, half: int, ai_notes: bool = False, locale: object = None
) -> discord.ui.View:
    """`ai_notes`: the session's text would go to Anthropic, so the members may say no. Labels
    in `locale`: the server's language, as the thread's posts."""
    view = discord.ui.View(timeout=None)
    actions: tuple[Action, ...] = (
        ("here", "guide", "swap", "end", "noshow") if half == 1 else ("guide", "end")
    )
    if half == 1 and ai_notes:
        actions += ("noai",)
    for action in actions:
        view.add_item(PeerButton(action, session_id, locale))
    return view


def feedback_view(session_id: int, locale: object = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(PeerButton("feedback", session_id, locale))
    return view
