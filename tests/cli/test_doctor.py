"""`python -m bot doctor`: each check against the emulator and the fake Messages API, and the
command itself (one line per check, exit code 1 when anything failed)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.doctor import Check, diagnose
from bot.domain.schedule import parse_post_time
from bot.settings import Settings
from bot.store import Store
from emulator import DiscordEmulator
from emulator.fake_messages_api import FakeMessagesAPI
from tests.conftest import World, build_world
from tests.databases import REDIS_URL_VARIABLE, redis_url

REPO = Path(__file__).resolve().parents[2]
MESSAGE_CONTENT_FLAG = 1 << 18  # GATEWAY_MESSAGE_CONTENT


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with DiscordEmulator() as emulator:
        yield emulator
        assert emulator.internal_errors == []


@pytest.fixture
def world(emu: DiscordEmulator) -> World:
    return build_world(emu)


async def schedule(db_path: Path, world: World, *, ping_role_id: int | None = None) -> None:
    store = Store(db_path)
    await store.open()
    try:
        await store.guilds.save_schedule(
            world.guild.id,
            channel_id=world.daily.id,
            post_time=parse_post_time("09:00"),
            timezone="Europe/Berlin",
            ping_role_id=ping_role_id,
            config_channel_id=world.practice.id,
            now=datetime(2026, 11, 26, 7, 0, tzinfo=UTC),
        )
    finally:
        await store.close()


def settings_for(emu: DiscordEmulator, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "discord_token": "emulator-token",
        "discord_api_base_url": emu.api_base_url,
        "discord_gateway_url": emu.gateway_url,
        "bot_database_path": tmp_path / "bot.db",
        "anthropic_api_key": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name.split(" ")[0]: c for c in checks}


async def test_all_checks_pass_over_rest_only(
    emu: DiscordEmulator, world: World, tmp_path: Path
) -> None:
    settings = settings_for(emu, tmp_path)
    await schedule(settings.bot_database_path, world)
    checks = await diagnose(settings)
    assert [c.name.split(" ")[0] for c in checks] == [
        "token",
        "intents",
        "database",
        "guild",
        "anthropic",
        *(["sandbox", "python", "javascript"] if shutil.which("bwrap") else ["sandbox"]),
    ]
    assert all(c.ok for c in checks[:5]), [c.line() for c in checks]
    # Where bubblewrap runs (CI installs it), the sandbox and both languages must work.
    assert all(c.ok for c in checks) or not shutil.which("bwrap"), [c.line() for c in checks]
    lines = [c.line() for c in checks]
    assert lines[0].startswith("ok   token: logged in as Interview Prep")
    assert "schema version" in lines[2] and "integrity ok" in lines[2] and "1 guild" in lines[2]
    assert "'Study Hall'" in lines[3] and "#daily" in lines[3]
    assert "offline grader" in lines[4]
    assert emu.sessions == []  # never connected to the gateway
    paths = {r.path for r in emu.requests}
    assert {"/users/@me", "/oauth2/applications/@me", f"/channels/{world.daily.id}"} <= paths


async def test_a_missing_or_rejected_token_says_what_to_do(
    emu: DiscordEmulator, world: World, tmp_path: Path
) -> None:
    missing = by_name(await diagnose(settings_for(emu, tmp_path, discord_token=None)))
    assert not missing["token"].ok and "DISCORD_TOKEN is not set" in missing["token"].detail
    assert missing["database"].ok  # the rest is still checked
    emu.fail_next("GET", "/users/@me", 401)
    rejected = by_name(await diagnose(settings_for(emu, tmp_path)))
    assert not rejected["token"].ok and "rejected" in rejected["token"].detail
    assert "developer portal" in rejected["token"].detail
    down = await diagnose(
        settings_for(emu, tmp_path, discord_api_base_url="http://127.0.0.1:9/api/v10")
    )
    assert not down[0].ok and "could not reach Discord" in down[0].detail


async def application_with_flags(emu: DiscordEmulator, flags: int) -> dict[str, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{emu.api_base_url}/oauth2/applications/@me",
            headers={"Authorization": "Bot emulator-token"},
        ) as response,
    ):
        body: dict[str, Any] = await response.json(content_type=None)
    return {**body, "flags": flags}


async def test_the_message_content_intent_must_match_the_portal(
    emu: DiscordEmulator, world: World, tmp_path: Path
) -> None:
    settings = settings_for(emu, tmp_path, bot_message_content=True)
    off = by_name(await diagnose(settings))["intents"]
    assert not off.ok and "Privileged Gateway Intents" in off.detail
    assert "BOT_MESSAGE_CONTENT=false" in off.detail
    body = await application_with_flags(emu, MESSAGE_CONTENT_FLAG)
    emu.fail_next("GET", "/oauth2/applications/@me", 200, body=body)
    on = by_name(await diagnose(settings))["intents"]
    assert on.ok and "enabled" in on.detail
    plain = by_name(await diagnose(settings_for(emu, tmp_path)))["intents"]
    assert plain.ok and "no privileged intent" in plain.detail


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        ("send", "missing Send Messages"),
        ("threads", "missing Create Public Threads"),
        ("hidden", "cannot see the daily channel"),
        ("deleted", "no longer exists"),
        ("removed", "not in this server"),
        ("ping", "not mentionable"),
    ],
)
async def test_each_daily_channel_problem_is_named_with_its_fix(
    emu: DiscordEmulator, world: World, tmp_path: Path, problem: str, expected: str
) -> None:
    settings = settings_for(emu, tmp_path)
    ping = None
    if problem == "ping":  # neither mentionable nor may the bot mention every role
        ping = emu.add_role(world.guild, "Quiet", mentionable=False)
        emu.set_bot_channel_permissions(world.daily, deny=["MENTION_EVERYONE"])
    await schedule(settings.bot_database_path, world, ping_role_id=ping.id if ping else None)
    if problem == "send":
        emu.set_bot_channel_permissions(world.daily, deny=["SEND_MESSAGES"])
    elif problem == "threads":
        emu.set_bot_channel_permissions(world.daily, deny=["CREATE_PUBLIC_THREADS"])
    elif problem == "hidden":
        emu.set_bot_channel_permissions(world.daily, deny=["VIEW_CHANNEL"])
    elif problem == "deleted":
        await emu.delete_channel(world.daily)
    elif problem == "removed":
        await emu.remove_guild(world.guild)
    checks = by_name(await diagnose(settings))
    guild = checks["guild"]
    assert not guild.ok and expected in guild.detail, guild.line()
    assert any(word in guild.detail for word in ("grant", "/daily setup", "invite", "make it"))
    assert checks["token"].ok and checks["database"].ok


async def test_a_corrupt_or_newer_database_fails(
    emu: DiscordEmulator, world: World, tmp_path: Path
) -> None:
    settings = settings_for(emu, tmp_path)
    settings.bot_database_path.write_bytes(b"this is not a database" * 400)
    corrupt = by_name(await diagnose(settings))["database"]
    assert not corrupt.ok and "not a database" in corrupt.detail and "backup" in corrupt.detail
    settings.bot_database_path.unlink()
    conn = sqlite3.connect(settings.bot_database_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    newer = by_name(await diagnose(settings))["database"]
    assert not newer.ok and "upgrade the bot" in newer.detail


async def test_the_anthropic_key_is_tried_with_a_free_token_count(
    emu: DiscordEmulator, world: World, tmp_path: Path
) -> None:
    async with FakeMessagesAPI() as fake:
        settings = settings_for(
            emu, tmp_path, anthropic_api_key="test-key", anthropic_base_url=fake.base_url
        )
        check = by_name(await diagnose(settings))["anthropic"]
        assert check.ok and "key accepted" in check.detail and "claude-haiku-5-5" in check.detail
        [request] = fake.requests
        assert request.path == "/v1/messages/count_tokens"
        assert request.body["model"] == "claude-haiku-5-5"


@pytest.fixture
async def refusing_api() -> AsyncIterator[dict[str, Any]]:
    """An Anthropic API that answers every token count with the status in `state`."""
    state: dict[str, Any] = {"status": 401, "type": "authentication_error"}

    async def count(request: web.Request) -> web.Response:
        body = {"type": "error", "error": {"type": state["type"], "message": "no"}}
        return web.json_response(body, status=state["status"])

    app = web.Application()
    app.router.add_post("/v1/messages/count_tokens", count)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    state["url"] = f"http://{host}:{port}"
    yield state
    await runner.cleanup()


@pytest.mark.parametrize(
    ("status", "error_type", "expected"),
    [
        (401, "authentication_error", "ANTHROPIC_API_KEY was rejected"),
        (404, "not_found_error", "BOT_LLM_MODEL"),
        (500, "api_error", "answered 500"),
    ],
)
async def test_a_refused_anthropic_key_or_model_fails(
    emu: DiscordEmulator,
    world: World,
    tmp_path: Path,
    refusing_api: dict[str, Any],
    status: int,
    error_type: str,
    expected: str,
) -> None:
    refusing_api.update(status=status, type=error_type)
    settings = settings_for(
        emu, tmp_path, anthropic_api_key="bad-key", anthropic_base_url=refusing_api["url"]
    )
    check = by_name(await diagnose(settings))["anthropic"]
    assert not check.ok and expected in check.detail, check.line()
    unreachable = settings_for(
        emu, tmp_path, anthropic_api_key="bad-key", anthropic_base_url="http://127.0.0.1:9"
    )
    check = by_name(await diagnose(unreachable))["anthropic"]
    assert not check.ok and "could not reach" in check.detail


async def run_doctor(emu: DiscordEmulator, tmp_path: Path) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "BOT_", "ANTH"))}
    env.update(
        PYTHONPATH=str(REPO),
        DISCORD_TOKEN="emulator-token",
        DISCORD_API_BASE_URL=emu.api_base_url,
        BOT_DATABASE_PATH=str(tmp_path / "bot.db"),
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "doctor",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    assert err.decode().strip() == ""  # the report is the whole output
    return proc.returncode, out.decode()


async def test_the_command_prints_one_line_per_check_and_its_exit_code(
    emu: DiscordEmulator, world: World, tmp_path: Path
) -> None:
    await schedule(tmp_path / "bot.db", world)
    code, out = await run_doctor(emu, tmp_path)
    lines = out.strip().splitlines()
    assert code == 0, out
    assert [line[:4] for line in lines[:5]] == ["ok  "] * 5 and lines[-1] == "everything looks fine"
    emu.set_bot_channel_permissions(world.daily, deny=["EMBED_LINKS"])
    code, out = await run_doctor(emu, tmp_path)
    assert code == 1 and "Traceback" not in out
    [failed] = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert "Embed Links" in failed and "grant" in failed
    assert out.strip().splitlines()[-1] == "1 problem(s) to fix"


@pytest.mark.skipif(redis_url() is None, reason=f"{REDIS_URL_VARIABLE} unset")
async def test_a_configured_redis_is_checked_and_its_password_never_shown(
    emu: DiscordEmulator, world: World, tmp_path: Path
) -> None:
    url = redis_url()
    assert url is not None
    settings = settings_for(emu, tmp_path, bot_redis_url=url)
    checks = await diagnose(settings)
    assert [c.name.split(" ")[0] for c in checks][:4] == ["token", "intents", "database", "redis"]
    redis_check = by_name(checks)["redis"]
    assert redis_check.ok, redis_check.line()
    assert "shared Discord rate limit ready" in redis_check.detail


async def test_an_unreachable_redis_fails_with_the_fix_and_no_password(
    emu: DiscordEmulator, world: World, tmp_path: Path
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = settings_for(emu, tmp_path, bot_redis_url=f"redis://:hunter2@127.0.0.1:{port}/3")
    redis_check = by_name(await diagnose(settings))["redis"]
    assert not redis_check.ok
    assert f"127.0.0.1:{port}/3" in redis_check.detail and "BOT_REDIS_URL" in redis_check.detail
    assert "hunter2" not in redis_check.line()


async def test_without_redis_there_is_no_redis_line(
    emu: DiscordEmulator, world: World, tmp_path: Path
) -> None:
    assert "redis" not in by_name(await diagnose(settings_for(emu, tmp_path)))
