"""The two store backends for tests: a fresh SQLite file, or a fresh PostgreSQL schema.

A test or module marked `both_databases` that uses the `database` fixture (directly, or through
`app`) runs once per backend. The PostgreSQL half needs BOT_TEST_DATABASE_URL; without it those
runs are skipped and the session says so at the end (in CI, CI=true, the session refuses to start
instead: CI must run both halves).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

POSTGRES_URL_VARIABLE = "BOT_TEST_DATABASE_URL"
REDIS_URL_VARIABLE = "BOT_TEST_REDIS_URL"
BACKENDS = ("sqlite", "postgres")
SKIPPED_REASON = f"the PostgreSQL half: {POSTGRES_URL_VARIABLE} is not set"


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_VARIABLE) or None


def redis_url() -> str | None:
    return os.environ.get(REDIS_URL_VARIABLE) or None


def with_search_path(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}search_path={schema}"


@asynccontextmanager
async def fresh_schema(url: str) -> AsyncIterator[str]:
    """A schema of its own (dropped afterwards); yields the URL that puts tables in it."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
        yield with_search_path(url, schema)
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await conn.close()


@pytest.fixture
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Path | str]:
    """Where the store lives: a SQLite file path, or a PostgreSQL URL with a schema of its own."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield tmp_path / "bot.db"
        return
    url = postgres_url()
    if url is None:
        pytest.skip(SKIPPED_REASON)
    async with fresh_schema(url) as located:
        yield located
