"""Headers every page carries, and the per-client rate limit (middlewares)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.i18n.messages import tr
from bot.web.keys import LIMITER, SECURE, SESSION
from bot.web.language import request_locale

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# No inline script or style anywhere: the pages work without JavaScript.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' https://cdn.discordapp.com; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if request.app[SECURE]:
        response.headers["Strict-Transport-Security"] = HSTS
    if isinstance(response, web.HTTPException) and response.status >= 400:
        raise response
    return response


@web.middleware
async def rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Per session when logged in, else per address; static files are free."""
    if request.path.startswith("/static/"):
        return await handler(request)
    limiter = request.app[LIMITER]
    session = request.get(SESSION)
    client = f"s:{session.csrf}" if session else f"a:{request.remote}"
    if not limiter.allow(client):
        return web.Response(
            status=429,
            text=tr(request_locale(request), "Too many requests: wait a minute and try again."),
            headers={"Retry-After": "60"},
        )
    return await handler(request)
