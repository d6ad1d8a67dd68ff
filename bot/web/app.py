"""The companion's aiohttp application: routes, middlewares, shared objects."""

from __future__ import annotations

from aiohttp import web

from bot.content.loader import load_bank
from bot.domain.clock import Clock, SystemClock
from bot.services.catalog import Catalog
from bot.services.leaderboard import LeaderboardService
from bot.services.points import PointsService
from bot.store import Store
from bot.web.board import board
from bot.web.keys import LEADERBOARD, LIMITER, SECURE, STORE, TEMPLATES
from bot.web.limits import RateLimiter
from bot.web.pages import STATIC, environment, render
from bot.web.security import rate_limit, security_headers


async def home(request: web.Request) -> web.Response:
    return render(request, "home.html", title="Interview Prep companion")


def make_app(store: Store, *, secure: bool = False, clock: Clock | None = None) -> web.Application:
    """`secure`: served over https (HSTS and secure cookies)."""
    app = web.Application(middlewares=[security_headers, rate_limit])
    clock = clock or SystemClock()
    points = PointsService(store, clock)
    app[STORE] = store
    app[SECURE] = secure
    app[TEMPLATES] = environment()
    app[LIMITER] = RateLimiter()
    app[LEADERBOARD] = LeaderboardService(store, clock, Catalog(load_bank(), store), points)
    app.router.add_get("/", home)
    app.router.add_get("/g/{guild_id}", board)
    app.router.add_static("/static/", STATIC)
    return app
