"""`python -m bot web`: serve the companion until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

from aiohttp import web

from bot.settings import Settings
from bot.store import Store
from bot.web.app import Login, make_app
from bot.web.auth import DiscordOAuth

log = logging.getLogger(__name__)


async def serve(settings: Settings) -> int:
    store = Store(settings.database_location())
    await store.open()
    base_url = settings.bot_web_base_url or ""
    app = make_app(
        store,
        secure=base_url.startswith("https://"),
        login_with=login_settings(settings),
        ai_grading=settings.anthropic_api_key is not None,
        retention=timedelta(days=settings.bot_guild_retention_days),
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.bot_web_host, settings.bot_web_port)
        await site.start()
        log.info(
            "web companion on http://%s:%s (public address: %s)",
            settings.bot_web_host,
            settings.bot_web_port,
            base_url or "BOT_WEB_BASE_URL not set",
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()
        await store.close()
    return 0


def login_settings(settings: Settings) -> Login | None:
    """Discord login, when every setting it needs is there (else public boards only)."""
    secret, key = settings.discord_client_secret, settings.bot_web_secret_key
    if not (settings.discord_client_id and secret and key and settings.bot_web_base_url):
        log.info(
            "Discord login is off: it needs DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET, "
            "BOT_WEB_SECRET_KEY and BOT_WEB_BASE_URL"
        )
        return None
    oauth = DiscordOAuth(
        api_base=settings.discord_api_base_url,
        client_id=settings.discord_client_id,
        client_secret=secret.get_secret_value(),
        redirect_uri=f"{settings.bot_web_base_url}/callback",
    )
    return Login(oauth, key.get_secret_value())
