"""`python -m bot web`: serve the companion until SIGTERM or Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from bot.settings import Settings
from bot.store import Store
from bot.web.app import make_app

log = logging.getLogger(__name__)


async def serve(settings: Settings) -> int:
    store = Store(settings.database_location())
    await store.open()
    base_url = settings.bot_web_base_url or ""
    app = make_app(store, secure=base_url.startswith("https://"))
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
