"""A logged-in member's own pages: their servers, progress, answers, mock transcripts, and the
same export and delete as `/privacy`. Every route checks that the server is one of the
member's (from the session) and that what it names is theirs: anything else is a 404."""

from __future__ import annotations

import json
import secrets

from aiohttp import web

from bot.domain.errors import UserError
from bot.i18n.messages import tr
from bot.web.auth import Session, SharedGuild
from bot.web.charts import grades_chart
from bot.web.keys import COMPANION, PRIVACY
from bot.web.language import request_locale
from bot.web.login import session_of
from bot.web.pages import not_found, redirect, refusal, render

DELETE_WORD = "delete"


def _member_guild(request: web.Request) -> tuple[Session, SharedGuild] | None:
    session = session_of(request)
    text = request.match_info.get("guild_id", "")
    if session is None or not text.isdigit() or len(text) > 20:
        return None
    guild = session.guild(int(text))
    return (session, guild) if guild is not None else None


async def me(request: web.Request) -> web.Response:
    session = session_of(request)
    if session is None:
        return redirect("/login")
    return render(
        request, "me.html", title=tr(request_locale(request), "Your servers"), guilds=session.guilds
    )


async def progress(request: web.Request) -> web.Response:
    found = _member_guild(request)
    if found is None:
        return not_found(request)
    session, guild = found
    locale = request_locale(request)
    view = await request.app[COMPANION].progress(guild.guild_id, session.user_id, session.name)
    chart = grades_chart(
        [(a.submitted_at, a.round, 5 * a.grade.overall / (a.grade.max or 5)) for a in view.answers],
        locale,
    )
    return render(
        request,
        "progress.html",
        # i18n: a page title; {server} is the name of a Discord server.
        title=tr(locale, "Your progress in {server}", server=guild.name),
        guild=guild,
        view=view,
        chart=chart,
        delete_word=DELETE_WORD,
    )


async def transcript(request: web.Request) -> web.Response:
    found = _member_guild(request)
    round_text = request.match_info.get("round_id", "")
    if found is None or not round_text.isdigit() or len(round_text) > 18:
        return not_found(request)
    session, guild = found
    try:
        view = await request.app[COMPANION].transcript(
            guild.guild_id, session.user_id, int(round_text)
        )
    except UserError:
        return not_found(request)
    return render(request, "transcript.html", title=view.title, guild=guild, view=view)


async def export(request: web.Request) -> web.Response:
    found = _member_guild(request)
    if found is None:
        return not_found(request)
    session, guild = found
    exported = await request.app[PRIVACY].export(guild.guild_id, session.user_id)
    return web.Response(
        text=json.dumps(exported.document(), ensure_ascii=False, indent=2),
        content_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="my-data-{guild.guild_id}.json"'},
    )


async def delete(request: web.Request) -> web.Response:
    found = _member_guild(request)
    if found is None:
        return not_found(request)
    session, guild = found
    form = await request.post()
    locale = request_locale(request)
    if not secrets.compare_digest(str(form.get("csrf", "")), session.csrf):
        return render(
            request,
            "error.html",
            status=403,
            title=tr(locale, "Stale form"),
            message=tr(
                locale, "That form is stale: reload the page and try again. Nothing was deleted."
            ),
        )
    if str(form.get("confirm", "")).strip().lower() != DELETE_WORD:
        return render(
            request,
            "error.html",
            status=400,
            title=tr(locale, "Not deleted"),
            # i18n: {word} is the English word the member types to confirm, "delete".
            message=tr(locale, 'Type "{word}" to confirm. Nothing was deleted.', word=DELETE_WORD),
        )
    try:
        footprint = await request.app[PRIVACY].delete(guild.guild_id, session.user_id)
    except UserError as exc:
        return render(
            request,
            "error.html",
            status=409,
            title=tr(locale, "Not deleted"),
            message=refusal(locale, exc),
        )
    return render(
        request,
        "deleted.html",
        title=tr(locale, "Your data was deleted"),
        guild=guild,
        footprint=footprint,
    )
