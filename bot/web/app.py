"""The companion's aiohttp application: routes, middlewares, shared objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web

from bot.content.loader import QuestionBank, load_bank
from bot.domain.clock import Clock, SystemClock
from bot.i18n.messages import tr
from bot.services.catalog import Catalog
from bot.services.companion import CompanionService
from bot.services.grading import GradingService
from bot.services.leaderboard import LeaderboardService
from bot.services.points import PointsService
from bot.services.privacy import PrivacyService
from bot.services.questions import QuestionService
from bot.store import Store
from bot.web import admin
from bot.web.auth import DiscordOAuth, Signer
from bot.web.board import board
from bot.web.keys import (
    COMPANION,
    GRADING,
    LEADERBOARD,
    LIMITER,
    OAUTH,
    PRIVACY,
    QUESTIONS,
    SECURE,
    SIGNER,
    STORE,
    TEMPLATES,
)
from bot.web.language import request_locale
from bot.web.limits import RateLimiter
from bot.web.login import callback, login, logout, sessions
from bot.web.member import delete, export, me, progress, transcript
from bot.web.pages import STATIC, environment, render
from bot.web.security import rate_limit, security_headers


@dataclass(frozen=True)
class Login:
    """What "Log in with Discord" needs; without it the companion serves public boards only."""

    oauth: DiscordOAuth
    secret_key: str


async def home(request: web.Request) -> web.Response:
    return render(
        request,
        "home.html",
        title=tr(request_locale(request), "Interview Prep companion"),
        login_url="/login" if OAUTH in request.app else None,
    )


def make_app(
    store: Store,
    *,
    secure: bool = False,
    clock: Clock | None = None,
    login_with: Login | None = None,
    ai_grading: bool = False,
    retention: timedelta = timedelta(days=30),
    bank: QuestionBank | None = None,
) -> web.Application:
    """`secure`: served over https (HSTS and secure cookies)."""
    app = web.Application(middlewares=[security_headers, sessions, rate_limit])
    clock = clock or SystemClock()
    catalog = Catalog(bank or load_bank(), store)
    points = PointsService(store, clock)
    leaderboard = LeaderboardService(store, clock, catalog, points)
    app[STORE] = store
    app[SECURE] = secure
    app[TEMPLATES] = environment()
    app[LIMITER] = RateLimiter()
    app[LEADERBOARD] = leaderboard
    app[COMPANION] = CompanionService(store, catalog, leaderboard)
    app[PRIVACY] = PrivacyService(store, clock, ai_grading=ai_grading, retention=retention)
    app[GRADING] = GradingService(store, clock)
    app[QUESTIONS] = QuestionService(store, catalog, clock)
    if login_with is not None:
        app[OAUTH] = login_with.oauth
        app[SIGNER] = Signer(login_with.secret_key)
    app.router.add_get("/", home)
    app.router.add_get("/g/{guild_id}", board)
    app.router.add_get("/login", login)
    app.router.add_get("/callback", callback)
    app.router.add_post("/logout", logout)
    app.router.add_get("/me", me)
    app.router.add_get("/me/g/{guild_id}", progress)
    app.router.add_get("/me/g/{guild_id}/mocks/{round_id}", transcript)
    app.router.add_get("/me/g/{guild_id}/export", export)
    app.router.add_post("/me/g/{guild_id}/delete", delete)
    app.router.add_get("/admin/g/{guild_id}", admin.overview)
    app.router.add_post("/admin/g/{guild_id}/limits", admin.set_limits)
    app.router.add_get("/admin/g/{guild_id}/questions", admin.questions)
    app.router.add_post("/admin/g/{guild_id}/questions/import", admin.import_questions)
    app.router.add_static("/static/", STATIC)
    return app
