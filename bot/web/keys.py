"""What the companion's handlers share through the application, typed."""

from __future__ import annotations

import jinja2
from aiohttp import web

from bot.services.leaderboard import LeaderboardService
from bot.store import Store
from bot.web.limits import RateLimiter

STORE = web.AppKey("store", Store)
SECURE = web.AppKey("secure", bool)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
LIMITER = web.AppKey("limiter", RateLimiter)
LEADERBOARD = web.AppKey("leaderboard", LeaderboardService)
