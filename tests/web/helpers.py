"""A companion on loopback with Discord login through the emulator, and data to show."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.content.loader import QuestionBank, load_bank
from bot.domain.clock import ManualClock
from bot.llm.offline import OfflineGrader
from bot.store import Store
from bot.store.answers import GradeRecord
from bot.web.app import Login, make_app
from bot.web.auth import DiscordOAuth
from emulator import DiscordEmulator
from tests.stores import NOW, daily_answer


@cache
def bank() -> QuestionBank:
    """Loaded once per test process: the pack is read-only."""
    return load_bank()


STRONG = (
    "Start with BFS from the source, keep a visited set, stop at depth k; O(V + E) time. "
    "Edge cases: self-loops, repeated edges, k = 0. I would test with a cycle."
)


@dataclass
class Site:
    url: str
    emu: DiscordEmulator
    store: Store
    app: web.Application

    def client(self) -> aiohttp.ClientSession:
        """A browser: it keeps cookies (loopback included) and follows redirects."""
        return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def companion(emu: DiscordEmulator, location: Path | str) -> AsyncIterator[Site]:
    """The companion with login through the emulator (its redirect URI names its own port)."""
    store = Store(location)
    await store.open()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    login = Login(
        DiscordOAuth(
            api_base=emu.api_base_url,
            client_id=emu.application_id,
            client_secret=emu.oauth.client_secret,
            redirect_uri=f"{base}/callback",
        ),
        secret_key="test-only-secret-key",
    )
    app = make_app(store, clock=ManualClock(NOW), login_with=login, bank=bank())
    server = TestServer(app, host="127.0.0.1", port=port)
    try:
        await server.start_server()
        yield Site(base, emu, store, app)
    finally:
        await server.close()
        await store.close()


async def log_in(site: Site, browser: aiohttp.ClientSession, user_id: int) -> str:
    """Log in through the emulator's consent form as `user_id`; returns the page landed on."""
    async with browser.get(f"{site.url}/login") as consent:
        assert consent.status == 200, await consent.text()
        form = {k: v for k, v in consent.url.query.items()}
    form["user_id"] = str(user_id)
    async with browser.post(str(consent.url.with_query(None)), data=form) as landed:
        assert landed.status == 200, await landed.text()
        return await landed.text()


async def graded_answer(store: Store, guild_id: int, user_id: int, question_id: str) -> None:
    """A daily answer with a real (offline) grade, as the bot stores one."""
    question = bank().get(question_id)
    assert question is not None
    await store.members.remember(guild_id, user_id, f"member{user_id}")
    answer = await daily_answer(
        store, guild_id, user_id, question_id=question_id, round_name=question.round, content=STRONG
    )
    grade = await OfflineGrader().grade(question, STRONG)
    record = GradeRecord(
        grade.overall,
        grade.max,
        grade.grader,
        None,
        grade.prompt_version,
        json.dumps(grade.to_dict()),
    )
    await store.answers.save_grade(answer, record, NOW, delivered=True)
