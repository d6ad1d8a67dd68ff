"""Admin pages for a server's managers: schedule and status, the question bank with filters,
custom questions (import with every error listed), AI usage and limits. Manage Server is checked
at login and asked of Discord again before every change; every form carries the CSRF token."""

from __future__ import annotations

import logging
import secrets

import aiohttp
from aiohttp import web

from bot.content.schema import ROUNDS, Round
from bot.domain.errors import UserError
from bot.i18n.messages import tr
from bot.services.questions import ImportRejected
from bot.ui.daily_notices import stored_text
from bot.web.auth import Session, SharedGuild, can_manage
from bot.web.keys import GRADING, OAUTH, QUESTIONS, STORE
from bot.web.language import request_locale
from bot.web.login import session_of
from bot.web.pages import not_found, redirect, refusal, render

log = logging.getLogger(__name__)
DIFFICULTIES = ("easy", "medium", "hard")


def _managed(request: web.Request) -> tuple[Session, SharedGuild] | None:
    session = session_of(request)
    text = request.match_info.get("guild_id", "")
    if session is None or not text.isdigit() or len(text) > 20:
        return None
    guild = session.guild(int(text))
    return (session, guild) if guild is not None and guild.manage else None


async def _still_manager(request: web.Request, session: Session, guild_id: int) -> bool:
    """Discord says, now, that the member may manage the server (a role can be taken away)."""
    oauth = request.app.get(OAUTH)
    if oauth is None:
        return False
    try:
        _, guilds = await oauth.identity(session.token)
    except (aiohttp.ClientError, TimeoutError) as exc:
        log.warning("admin re-check with Discord failed: %s", type(exc).__name__)
        return False
    return any(
        str(g.get("id")) == str(guild_id) and can_manage(g.get("permissions", 0)) for g in guilds
    )


async def _change_allowed(
    request: web.Request,
) -> tuple[Session, SharedGuild, dict[str, str]] | web.Response:
    """The checks every admin form passes before it changes anything."""
    found = _managed(request)
    if found is None:
        return not_found(request)
    session, guild = found
    form = {k: str(v) for k, v in (await request.post()).items()}
    locale = request_locale(request)
    if not secrets.compare_digest(form.get("csrf", ""), session.csrf):
        return render(
            request,
            "error.html",
            status=403,
            title=tr(locale, "Stale form"),
            message=tr(
                locale, "That form is stale: reload the page and try again. Nothing changed."
            ),
        )
    if not await _still_manager(request, session, guild.guild_id):
        return render(
            request,
            "error.html",
            status=403,
            title=tr(locale, "Not allowed"),
            message=tr(
                locale, "Discord says you no longer have Manage Server there. Nothing changed."
            ),
        )
    return session, guild, form


async def overview(request: web.Request) -> web.Response:
    found = _managed(request)
    if found is None:
        return not_found(request)
    _, guild = found
    config = await request.app[STORE].guilds.get(guild.guild_id)
    report = await request.app[GRADING].report(guild.guild_id)
    locale = request_locale(request)
    return render(
        request,
        "admin.html",
        # i18n: the page title of a server's admin page; {server} is the server's name.
        title=tr(locale, "{server}: admin", server=guild.name),
        guild=guild,
        config=config,
        # Kept as data (bot/services/daily_notices.py): worded in the reader's language.
        problem=stored_text(locale, config.last_error, plain=True)
        if config and config.last_error
        else None,
        warning=stored_text(locale, config.last_warning, plain=True)
        if config and config.last_warning
        else None,
        report=report,
        notice=request.query.get("notice"),
    )


async def set_limits(request: web.Request) -> web.Response:
    allowed = await _change_allowed(request)
    if isinstance(allowed, web.Response):
        return allowed
    session, guild, form = allowed
    try:
        await request.app[GRADING].set_limits(
            guild.guild_id,
            member_daily_answers=_number(form.get("member_answers")),
            guild_daily_tokens=_number(form.get("server_tokens")),
            updated_by=session.user_id,
        )
    except (UserError, ValueError) as exc:
        locale = request_locale(request)
        message = (
            refusal(locale, exc)
            if isinstance(exc, UserError)
            else tr(locale, "Limits are whole numbers.")
        )
        return render(
            request, "error.html", status=400, title=tr(locale, "Not saved"), message=message
        )
    return redirect(f"/admin/g/{guild.guild_id}?notice=limits-saved")


def _number(text: str | None) -> int | None:
    return int(text) if text and text.strip() else None


async def questions(request: web.Request) -> web.Response:
    found = _managed(request)
    if found is None:
        return not_found(request)
    _, guild = found
    round_name = request.query.get("round")
    chosen: Round | None = next((r for r in ROUNDS if r == round_name), None)
    difficulty = request.query.get("difficulty") or None
    words = request.query.get("q", "").strip().lower()
    rows = await request.app[QUESTIONS].listing(guild.guild_id, chosen)
    shown = [
        r
        for r in rows
        if (difficulty is None or r.difficulty == difficulty)
        and (not words or words in r.title.lower() or words in r.question_id)
    ]
    return render(
        request,
        "admin_questions.html",
        # i18n: the page title of a server's question bank; {server} is the server's name.
        title=tr(request_locale(request), "{server}: questions", server=guild.name),
        guild=guild,
        rows=shown,
        total=len(rows),
        round_name=chosen,
        difficulty=difficulty,
        words=words,
        difficulties=DIFFICULTIES,
        problems=None,
    )


async def import_questions(request: web.Request) -> web.Response:
    allowed = await _change_allowed(request)
    if isinstance(allowed, web.Response):
        return allowed
    session, guild, form = allowed
    try:
        added = await request.app[QUESTIONS].import_yaml(
            guild_id=guild.guild_id,
            user_id=session.user_id,
            text=form.get("yaml", ""),
            filename="pasted.yaml",
        )
    except ImportRejected as exc:
        return render(
            request,
            "admin_questions.html",
            status=400,
            # i18n: the page title of a server's question bank; {server} is the server's name.
            title=tr(request_locale(request), "{server}: questions", server=guild.name),
            guild=guild,
            rows=[],
            total=0,
            round_name=None,
            difficulty=None,
            words="",
            difficulties=DIFFICULTIES,
            problems=exc.problems,
        )
    return redirect(f"/admin/g/{guild.guild_id}/questions?q=&notice=added-{len(added)}")
