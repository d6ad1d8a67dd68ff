"""Helpers to drive a real discord.py client against the emulator (tests and ``demo``).

This module imports discord.py; the emulator itself (``emulator``) does not.
"""

# ruff: noqa: ASYNC109
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

import discord
import yarl

from .emulator import DiscordEmulator

DEFAULT_TOKEN = "emulator-token"


def point_discord_at(emu: DiscordEmulator) -> Callable[[], None]:
    """Send discord.py's REST and gateway traffic to ``emu``; returns a function that undoes it.

    ``Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY`` are class attributes: this affects
    every client in the process.
    """
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = emu.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emu.gateway_url)

    def restore() -> None:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    return restore


@contextlib.asynccontextmanager
async def connected(
    client: discord.Client,
    emu: DiscordEmulator,
    *,
    token: str = DEFAULT_TOKEN,
    timeout: float = 10.0,
) -> AsyncIterator[discord.Client]:
    """Log in, connect, wait for ``on_ready``; on exit close the client and await its task.

    Build clients with a low ``guild_ready_timeout`` (e.g. 0.05) so ``on_ready`` comes fast.
    """
    restore = point_discord_at(emu)
    task: asyncio.Task[None] | None = None
    try:
        await client.login(token)
        task = asyncio.create_task(client.connect(reconnect=True), name="discord-client")
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait({ready, task}, timeout=timeout, return_when="FIRST_COMPLETED")
        if ready not in done:
            ready.cancel()
            if task in done:
                task.result()
            raise TimeoutError("the discord.py client did not become ready")
        await emu.flush()
        yield client
    finally:
        await client.close()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 5.0)
        restore()


class ErrorLogWatcher(logging.Handler):
    """Collects ERROR records of the ``discord`` logger (discord.py logs handler exceptions)."""

    def __init__(self, logger_name: str = "discord") -> None:
        super().__init__(level=logging.ERROR)
        self.logger = logging.getLogger(logger_name)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> ErrorLogWatcher:
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self)

    def clear(self) -> None:
        self.records.clear()

    def describe(self) -> str:
        out: list[str] = []
        for record in self.records:
            text = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
            out.append(f"{record.name}: {text}")
        return "\n".join(out)
