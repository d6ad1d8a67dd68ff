"""`python -m bot doctor`: check what the bot needs and say what to fix, one line per check.

Nothing here connects to the gateway: the token, the application's intents and each configured
guild's daily channel are checked over REST with discord.py's HTTP client; the database is opened
(and migrated) and integrity-checked; the Anthropic key is tried with a free token count.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
import anthropic
import asyncpg
import discord
import redis.asyncio as redis
from redis.exceptions import RedisError

from bot.app import make_intents, point_at_discord
from bot.domain.models import GuildConfig
from bot.runner.toolchains import LABELS, discover
from bot.settings import Settings
from bot.store import Store
from bot.store.database import DatabaseTooNew
from bot.ui.permissions import lacking
from bot.ui.publisher import NEEDED
from bot.ui.shared_limit import TOKEN_BUCKET

DISCORD_TIMEOUT_S = 15.0
ANTHROPIC_TIMEOUT_S = 10.0
REDIS_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


async def run_doctor(settings: Settings) -> int:
    """Print every check; non-zero when any failed."""
    checks = await diagnose(settings)
    for check in checks:
        print(check.line(), flush=True)
    failed = sum(not c.ok for c in checks)
    print(f"{failed} problem(s) to fix" if failed else "everything looks fine")
    return 1 if failed else 0


async def diagnose(settings: Settings) -> list[Check]:
    database, configs = await check_database(settings)
    discord_checks = await check_discord(settings, configs)
    # Token and intents first, then the stores, then what depends on them (the channels).
    stores = [database]
    if settings.bot_redis_url is not None:
        stores.append(await check_redis(settings.bot_redis_url.get_secret_value()))
    return [
        *discord_checks[:2],
        *stores,
        *discord_checks[2:],
        await check_anthropic(settings),
        *await check_code_runner(),
    ]


async def check_code_runner() -> list[Check]:
    """bubblewrap and each language's toolchain, each proved by running inside the sandbox."""
    found = await discover()
    if not found.enabled:
        reason = found.problems.get("sandbox") or "no language works in the sandbox"
        return [Check("sandbox", False, f"{reason}; the Run tests buttons say so")]
    checks = [Check("sandbox", True, f"bubblewrap at {found.bwrap} runs code isolated")]
    for language, label in LABELS.items():
        toolchain = found.toolchains.get(language)
        if toolchain is not None:
            checks.append(Check(language, True, f"{label}: {toolchain.version}"))
        else:
            problem = found.problems.get(language, "not found")
            checks.append(Check(language, False, f"{problem}: {label} is hidden from the menus"))
    return checks


async def check_database(settings: Settings) -> tuple[Check, list[GuildConfig]]:
    store = Store(settings.database_location())
    path = store.db.where
    try:
        applied = await store.open()
    except DatabaseTooNew as exc:
        return Check("database", False, str(exc)), []
    except (sqlite3.Error, OSError) as exc:
        await store.close()
        return Check("database", False, _cannot_open(store, exc)), []
    except asyncpg.PostgresError as exc:
        await store.close()
        return Check("database", False, _cannot_open(store, exc)), []
    try:
        verdict = await store.db.integrity_check()
        version = await store.db.schema_version()
        configs = await store.guilds.scheduled()
    finally:
        await store.close()
    if verdict != "ok":
        return Check(
            "database",
            False,
            f"{path} fails its integrity check ({verdict[:200]}): stop the bot and restore "
            "it from a backup",
        ), []
    migrated = f", migrated now ({', '.join(map(str, applied))})" if applied else ""
    return Check(
        "database",
        True,
        f"{path}: schema version {version}{migrated}, integrity ok, "
        f"{len(configs)} guild(s) with a daily schedule",
    ), configs


def _cannot_open(store: Store, exc: BaseException) -> str:
    if store.db.engine == "postgresql":
        return (
            f"cannot use {store.db.where} ({exc}): check that PostgreSQL runs there and that "
            "BOT_DATABASE_URL names a database this user may create tables in"
        )
    return (
        f"cannot open {store.db.where} ({exc}): make its folder writable, or point "
        "BOT_DATABASE_PATH at a SQLite file (a corrupt one: restore it from a backup)"
    )


def _redis_where(url: str) -> str:
    """Host, port and database number: never the password."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    return f"{parts.hostname}:{parts.port or 6379}{parts.path or '/0'}"


async def check_redis(url: str) -> Check:
    """BOT_REDIS_URL holds the shared Discord rate limit: reachable, and able to run its script."""
    where = _redis_where(url)
    client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_S)
    try:
        await client.ping()
        info = await client.info("server")
        await client.script_load(TOKEN_BUCKET)
    except (RedisError, OSError) as exc:
        return Check(
            "redis",
            False,
            f"cannot use {where} ({type(exc).__name__}: {exc}): start Redis there or fix "
            "BOT_REDIS_URL; until then each process paces itself at its fixed share of the limit",
        )
    finally:
        await client.aclose()
    return Check(
        "redis",
        True,
        f"{where}: Redis {info.get('redis_version', '?')}, shared Discord rate limit ready",
    )


async def check_discord(settings: Settings, configs: list[GuildConfig]) -> list[Check]:
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        return [
            Check(
                "token",
                False,
                "DISCORD_TOKEN is not set: put DISCORD_TOKEN=<your bot token> in .env "
                "(see .env.example); intents and channels are checked once it is set",
            )
        ]
    point_at_discord(settings)
    client = discord.Client(intents=make_intents(settings))
    try:
        async with asyncio.timeout(DISCORD_TIMEOUT_S):
            # GET /users/@me and GET /oauth2/applications/@me; no gateway connection.
            await client.login(token)
        checks = [_token_check(client), _intents_check(settings, client)]
        for config in configs:
            async with asyncio.timeout(DISCORD_TIMEOUT_S):
                checks.append(await _channel_check(client, config))
        return checks
    except discord.LoginFailure:
        return [
            Check(
                "token",
                False,
                "Discord rejected DISCORD_TOKEN: copy the token again from the developer "
                "portal (Bot tab, Reset Token) into .env",
            )
        ]
    except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
        return [
            Check(
                "token",
                False,
                f"could not reach Discord at {settings.discord_api_base_url} "
                f"({type(exc).__name__}: {exc}): check the network and DISCORD_API_BASE_URL",
            )
        ]
    finally:
        await client.close()


def _token_check(client: discord.Client) -> Check:
    user = client.user
    assert user is not None  # set by login
    return Check("token", True, f"logged in as {user} (id {user.id})")


def _intents_check(settings: Settings, client: discord.Client) -> Check:
    flags = client.application_flags
    enabled = flags.gateway_message_content or flags.gateway_message_content_limited
    if not settings.bot_message_content:
        return Check(
            "intents",
            True,
            "no privileged intent requested (BOT_MESSAGE_CONTENT=false: mock threads read only "
            "messages that mention the bot)",
        )
    if enabled:
        return Check("intents", True, "Message Content requested and enabled for the application")
    return Check(
        "intents",
        False,
        "BOT_MESSAGE_CONTENT=true but the Message Content intent is off for this application: "
        "enable it in the developer portal (Bot tab, Privileged Gateway Intents) or set "
        "BOT_MESSAGE_CONTENT=false",
    )


async def _channel_check(client: discord.Client, config: GuildConfig) -> Check:
    assert config.channel_id is not None  # only configured guilds are checked
    name = f"guild {config.guild_id}"
    try:
        guild = await client.fetch_guild(config.guild_id)
    except (discord.Forbidden, discord.NotFound):
        return Check(
            name,
            False,
            "I am not in this server any more: invite the bot again (its schedule is kept)",
        )
    name = f"guild {guild.name!r} ({guild.id})"
    paused = " (paused)" if config.paused else ""
    try:
        channel = await guild.fetch_channel(config.channel_id)
    except discord.NotFound:
        return Check(
            name,
            False,
            f"the daily channel ({config.channel_id}) no longer exists: run `/daily setup` "
            "with another channel",
        )
    except discord.Forbidden:
        return Check(
            name,
            False,
            "I cannot see the daily channel: give my role View Channel there, or run "
            "`/daily setup` with another channel",
        )
    if not isinstance(channel, discord.TextChannel):
        return Check(
            name, False, f"#{channel.name} is not a text channel: run `/daily setup` again"
        )
    assert client.user is not None
    me = await guild.fetch_member(client.user.id)
    granted = channel.permissions_for(me)
    missing = lacking(granted, NEEDED)
    if missing:
        return Check(
            name,
            False,
            f"missing {', '.join(missing)} in #{channel.name}: grant them to my role in that "
            "channel's permissions",
        )
    if config.ping_role_id is not None:
        role = guild.get_role(config.ping_role_id)
        if role is None:
            return Check(
                name, False, "the ping role was deleted: run `/daily setup` with another role"
            )
        if not (role.mentionable or granted.mention_everyone):
            return Check(
                name,
                False,
                f"the ping role @{role.name} is not mentionable, so posts will not ping it: "
                "make it mentionable, or give me Mention @everyone, @here and All Roles",
            )
    return Check(name, True, f"daily channel #{channel.name}: I can post there{paused}")


async def check_anthropic(settings: Settings) -> Check:
    secret = settings.anthropic_api_key
    key = secret.get_secret_value().strip() if secret else ""
    if not key:
        return Check(
            "anthropic",
            True,
            "no ANTHROPIC_API_KEY: answers are graded by the offline grader (approximate, "
            "keyword-based); set ANTHROPIC_API_KEY to grade with Claude",
        )
    model = settings.bot_llm_model
    client = anthropic.AsyncAnthropic(
        api_key=key,
        base_url=settings.anthropic_base_url or None,
        timeout=ANTHROPIC_TIMEOUT_S,
        max_retries=0,
    )
    try:
        # Counting tokens is free and checks the key and the model id together.
        await client.messages.count_tokens(
            model=model, messages=[{"role": "user", "content": "ping"}]
        )
    except anthropic.AuthenticationError:
        return Check(
            "anthropic",
            False,
            "ANTHROPIC_API_KEY was rejected: create a key in the Anthropic console and put it "
            "in .env (or leave it empty for the offline grader)",
        )
    except anthropic.PermissionDeniedError as exc:
        return Check("anthropic", False, f"the key may not use the API ({exc.message})")
    except anthropic.NotFoundError:
        return Check(
            "anthropic",
            False,
            f"model {model!r} was not found: set BOT_LLM_MODEL to a current model id",
        )
    except anthropic.RateLimitError:
        return Check("anthropic", True, f"key accepted for {model} (rate limited right now)")
    except anthropic.APITimeoutError:
        return Check(
            "anthropic",
            False,
            f"no answer from the Anthropic API within {ANTHROPIC_TIMEOUT_S:g} s: check the "
            "network or ANTHROPIC_BASE_URL",
        )
    except anthropic.APIConnectionError:
        return Check(
            "anthropic",
            False,
            f"could not reach the Anthropic API at {client.base_url}: check the network or "
            "ANTHROPIC_BASE_URL",
        )
    except anthropic.APIStatusError as exc:
        return Check(
            "anthropic", False, f"the API answered {exc.status_code} ({exc.message}): try later"
        )
    finally:
        await client.close()
    return Check("anthropic", True, f"key accepted; Claude grading with {model}")
