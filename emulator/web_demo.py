"""`make web-demo`: the demo's scripted session, then the web companion on localhost for its
server, with "Log in with Discord" through the emulator (choose ana, ben or dana on its consent
page). Prints the addresses and serves until Ctrl-C (or `--for SECONDS`).

    .venv/bin/python -m emulator.web_demo [--port 8080] [--for SECONDS]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

from bot.store import Store
from bot.web.app import Login, make_app
from bot.web.auth import DiscordOAuth
from emulator.demo import AfterDemo, run_demo
from emulator.emulator import DiscordEmulator
from emulator.models import Channel, Guild, Member


def _serve_for(port: int, seconds: float | None) -> AfterDemo:
    async def companion(
        emu: DiscordEmulator, db_path: Path, guild: Guild, admin: Member, channel: Channel
    ) -> None:
        await emu.slash(admin, channel, "web public", state="on")
        base = f"http://127.0.0.1:{port}"
        login = Login(
            DiscordOAuth(
                api_base=emu.api_base_url,
                client_id=emu.application_id,
                client_secret=emu.oauth.client_secret,
                redirect_uri=f"{base}/callback",
            ),
            secret_key=secrets.token_urlsafe(32),
        )
        store = Store(db_path)
        await store.open()
        await store.web.set_public(guild.id, True, guild.name, datetime.now(UTC))
        runner = web.AppRunner(make_app(store, login_with=login), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", port).start()
            print(f"\nweb companion: {base}/")
            print(f"  the server's public board: {base}/g/{guild.id}?period=all")
            print(f"  log in: {base}/login (the emulator's consent page: pick ana, ben or dana)")
            print("Ctrl-C stops it.", flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)
        finally:
            await runner.cleanup()
            await store.close()

    return companion


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--for", dest="seconds", type=float, default=None)
    args = parser.parse_args()
    return asyncio.run(run_demo(after=_serve_for(args.port, args.seconds)))


if __name__ == "__main__":
    sys.exit(main())
