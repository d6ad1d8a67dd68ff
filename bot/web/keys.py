"""What the companion's handlers share through the application, typed."""

from __future__ import annotations

import jinja2
from aiohttp import web

from bot.services.companion import CompanionService
from bot.services.grading import GradingService
from bot.services.leaderboard import LeaderboardService
from bot.services.privacy import PrivacyService
from bot.services.questions import QuestionService
from bot.store import Store
from bot.web.auth import DiscordOAuth, Session, Signer
from bot.web.limits import RateLimiter

STORE = web.AppKey("store", Store)
SECURE = web.AppKey("secure", bool)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
LIMITER = web.AppKey("limiter", RateLimiter)
LEADERBOARD = web.AppKey("leaderboard", LeaderboardService)
COMPANION = web.AppKey("companion", CompanionService)
PRIVACY = web.AppKey("privacy", PrivacyService)
GRADING = web.AppKey("grading", GradingService)
QUESTIONS = web.AppKey("questions", QuestionService)
# Present only when login is configured.
OAUTH = web.AppKey("oauth", DiscordOAuth)
SIGNER = web.AppKey("signer", Signer)
# Per request: the session read from its cookie.
SESSION = web.RequestKey("session", Session)
