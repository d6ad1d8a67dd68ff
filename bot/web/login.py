"""`/login`, `/callback`, `/logout`, and the middleware that reads the session cookie."""

from __future__ import annotations

import logging
import secrets
import time

import aiohttp
from aiohttp import web

from bot.i18n.messages import N_, tr
from bot.web.auth import (
    FLOW_COOKIE,
    FLOW_SECONDS,
    SESSION_COOKIE,
    SESSION_SECONDS,
    Session,
    new_session,
    pkce_pair,
)
from bot.web.keys import OAUTH, SECURE, SESSION, SIGNER, STORE
from bot.web.language import request_locale
from bot.web.pages import redirect, render
from bot.web.security import Handler

log = logging.getLogger(__name__)


def session_of(request: web.Request) -> Session | None:
    return request.get(SESSION)


@web.middleware
async def sessions(request: web.Request, handler: Handler) -> web.StreamResponse:
    signer = request.app.get(SIGNER)
    payload = signer.unsign(request.cookies.get(SESSION_COOKIE)) if signer else None
    session = Session.from_payload(payload) if payload else None
    if session is not None:
        request[SESSION] = session
    return await handler(request)


def _set_cookie(
    request: web.Request, response: web.StreamResponse, name: str, value: str, max_age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=request.app[SECURE],
        path="/",
    )


async def login(request: web.Request) -> web.StreamResponse:
    oauth, signer = request.app.get(OAUTH), request.app.get(SIGNER)
    if oauth is None or signer is None:
        locale = request_locale(request)
        return render(
            request,
            "error.html",
            status=503,
            title=tr(locale, "Login is not set up"),
            message=tr(
                locale,
                "The operator has not configured Discord login ({settings}). Public boards "
                "still work.",
                settings="DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET, BOT_WEB_SECRET_KEY, "
                "BOT_WEB_BASE_URL",
            ),
        )
    state = secrets.token_urlsafe(24)
    verifier, challenge = pkce_pair()
    response = redirect(oauth.login_redirect(state, challenge))
    flow = signer.sign({"state": state, "verifier": verifier, "exp": time.time() + FLOW_SECONDS})
    _set_cookie(request, response, FLOW_COOKIE, flow, FLOW_SECONDS)
    return response


def _refused(request: web.Request, why: str) -> web.Response:
    """`why`: a msgid (marked with `N_`), shown in the request's language."""
    locale = request_locale(request)
    return render(
        request,
        "error.html",
        status=400,
        title=tr(locale, "Login failed"),
        message=tr(locale, why),
    )


async def callback(request: web.Request) -> web.StreamResponse:
    oauth, signer = request.app.get(OAUTH), request.app.get(SIGNER)
    if oauth is None or signer is None:
        return _refused(request, N_("Discord login is not set up here."))
    flow = signer.unsign(request.cookies.get(FLOW_COOKIE))
    code, state = request.query.get("code"), request.query.get("state")
    if flow is None or not code or not state or not secrets.compare_digest(state, flow["state"]):
        return _refused(
            request, N_("This login link is stale or was not started here: log in again.")
        )
    try:
        token = await oauth.exchange(code, flow["verifier"])
        user, guilds = await oauth.identity(token)
    except (aiohttp.ClientError, TimeoutError, KeyError, ValueError) as exc:
        log.warning("Discord login failed: %s", type(exc).__name__)
        return _refused(request, N_("Discord did not confirm the login. Try again in a minute."))
    ids = [int(g["id"]) for g in guilds if str(g.get("id", "")).isdigit()]
    known = await request.app[STORE].web.known_guilds(ids)
    session = new_session(user, guilds, known, token)
    response = redirect("/me")
    _set_cookie(
        request, response, SESSION_COOKIE, signer.sign(session.to_payload()), SESSION_SECONDS
    )
    response.del_cookie(FLOW_COOKIE, path="/")
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    session = session_of(request)
    form = await request.post()
    if session is not None and not secrets.compare_digest(str(form.get("csrf", "")), session.csrf):
        return _refused(request, N_("That form is stale: reload the page and try again."))
    response = redirect("/")
    response.del_cookie(SESSION_COOKIE, path="/")
    return response
