"""What `/privacy` shows: pure render functions (texts and the export file)."""

from __future__ import annotations

import gzip
import io
import json

import discord

from bot.domain.errors import UserError
from bot.i18n.messages import N_, NN_, ntr, tr
from bot.services.privacy import Footprint, MemberExport
from bot.ui.plural import points

# Discord takes attachments up to 10 MiB from bots; beyond 8 MiB the export goes gzipped.
EXPORT_PLAIN_LIMIT = 8 * 1024 * 1024
EXPORT_HARD_LIMIT = 10 * 1024 * 1024

# The sections a member recognises, in the order they are listed.
_LABELS = (
    ("answers", NN_("{n} answer (with grades)", "{n} answers (with grades)")),
    ("mock_rounds", NN_("{n} mock round (with transcripts)", "{n} mock rounds (with transcripts)")),
    ("peer_sessions", NN_("{n} peer session", "{n} peer sessions")),
    ("peer_feedback_received", NN_("{n} peer feedback received", "{n} peer feedbacks received")),
    ("peer_feedback_given", NN_("{n} peer feedback given", "{n} peer feedbacks given")),
    ("points", NN_("{n} points entry", "{n} points entries")),
    ("hints_used", NN_("{n} hint used", "{n} hints used")),
    ("llm_usage", NN_("{n} AI usage record", "{n} AI usage records")),
)


def _summary(counts: dict[str, int], locale: object) -> str:
    parts = [ntr(locale, *forms, counts[key]) for key, forms in _LABELS if counts.get(key)]
    # The member row and notices are "settings" in the texts around this list.
    listed = {key for key, _ in _LABELS} | {"member", "notices"}
    others = sum(n for key, n in counts.items() if key not in listed)
    if others:
        parts.append(ntr(locale, "{n} other record", "{n} other records", others))
    return ", ".join(parts) if parts else tr(locale, "nothing")


def export_text(export: MemberExport, locale: object = None) -> str:
    counts = export.counts
    if not any(counts.values()):
        return tr(
            locale,
            "📦 The bot keeps nothing about you in this server; the attached file says so. "
            "Only you can see this.",
        )
    return tr(
        locale,
        "📦 Everything the bot keeps about you in this server, as JSON: {summary}. "
        "Only you can see this.",
        summary=_summary(counts, locale),
    )


def export_file(export: MemberExport) -> discord.File:
    """The export as a `.json` file (gzipped when too big for a plain upload)."""
    data = json.dumps(export.document(), ensure_ascii=False, indent=2).encode()
    name = f"privacy-export-{export.guild_id}-{export.user_id}.json"
    if len(data) > EXPORT_PLAIN_LIMIT:
        data, name = gzip.compress(data), f"{name}.gz"
    if len(data) > EXPORT_HARD_LIMIT:
        raise UserError(
            "Your export is larger than Discord lets the bot send. Ask the bot's operator for a "
            "copy. Nothing was changed.",
            code="export-too-large",
        )
    return discord.File(io.BytesIO(data), filename=name)


def delete_prompt(footprint: Footprint, locale: object = None) -> str:
    earned = f" (**{points(footprint.points, locale)}**)" if footprint.points else ""
    unnamed = (
        tr(
            locale,
            "Kept without your name, because they are someone else's too: {summary} (feedback "
            "you gave is your partner's; AI usage counts toward the server's budget; questions "
            "you added belong to the server).",
            summary=_summary(footprint.unnamed, locale),
        )
        + "\n"
        if footprint.unnamed
        else ""
    )
    return tr(
        locale,
        "⚠ **Delete everything the bot keeps about you in this server?** This removes, for "
        "good: {summary}{earned}, with your streak, leaderboard places and settings.\n"
        "{unnamed}Messages you wrote in channels and threads are Discord's: delete those in "
        "Discord.\nWant a copy first? Use `/privacy export` before you confirm.",
        summary=_summary(footprint.removed, locale),
        earned=earned,
        unnamed=unnamed,
    )


def deleted_text(deleted: Footprint, locale: object = None) -> str:
    earned = f", {points(deleted.points, locale)}" if deleted.points else ""
    return tr(
        locale,
        "🗑 Done: your data in this server was deleted ({summary}{earned}). You are off its "
        "leaderboards; if you use the bot here again, it starts afresh.",
        summary=_summary(deleted.removed, locale),
        earned=earned,
    )


# English, marked for the catalog; shown with `tr`.
NOTHING_STORED = N_(
    "The bot keeps nothing about you in this server, so there is nothing to delete."
)
KEPT = N_("Nothing was deleted.")
NOT_YOURS = N_(
    "That button deletes the data of the member who asked for it, not yours. "
    "Use `/privacy delete` for your own. Nothing was deleted."
)
HIDDEN = N_(
    "🙈 You are hidden in this server: not on the leaderboards, no milestone roles, and others "
    "cannot open your `/rank`. Your points still count. `/privacy show` brings you back."
)
ALREADY_HIDDEN = N_("You were already hidden in this server. `/privacy show` brings you back.")
SHOWN = N_("👀 You are back on this server's leaderboards, with all your points.")
ALREADY_SHOWN = N_("You were not hidden in this server. `/privacy hide` takes you off the boards.")
