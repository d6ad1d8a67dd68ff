"""The PostgreSQL store beside the SQLite one: twin migrations, the same schema, the dialect."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.store import Store
from bot.store.database import MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR, migration_files
from bot.store.dialect import MixedPlaceholders, to_postgres
from bot.store.postgres import redact
from tests.databases import fresh_schema, postgres_url

needs_postgres = pytest.mark.skipif(postgres_url() is None, reason="BOT_TEST_DATABASE_URL unset")


def test_every_sqlite_migration_has_a_postgres_twin() -> None:
    sqlite = [path.name for _, path in migration_files(MIGRATIONS_DIR)]
    postgres = [path.name for _, path in migration_files(POSTGRES_MIGRATIONS_DIR)]
    assert postgres == sqlite, "add bot/store/migrations/postgres/<same name> (see its README)"


def test_postgres_migrations_use_no_sqlite_only_syntax() -> None:
    for _, path in migration_files(POSTGRES_MIGRATIONS_DIR):
        text = path.read_text(encoding="utf-8")
        for sqlite_only in ("WITHOUT ROWID", "AUTOINCREMENT", "INTEGER PRIMARY KEY", "PRAGMA"):
            assert sqlite_only not in text, f"{path.name}: {sqlite_only}"


plain_text = st.text(alphabet=st.sampled_from("ab =,()\n"), max_size=8)


@given(st.lists(st.tuples(plain_text, st.booleans()), max_size=12))
def test_placeholders_are_numbered_in_order_and_quoted_marks_stay(
    pieces: list[tuple[str, bool]],
) -> None:
    """Each `?` becomes $1, $2, ...; a `?` inside a quoted string is text, not a parameter."""
    sql = "".join(text + ("'?'" if quoted else "?") for text, quoted in pieces)
    translated = to_postgres(sql)
    placeholders = [int(n) for n in re.findall(r"\$(\d+)", translated)]
    assert placeholders == list(range(1, sum(not quoted for _, quoted in pieces) + 1))
    assert translated.count("'?'") == sum(quoted for _, quoted in pieces)


def test_numbered_placeholders_keep_their_numbers() -> None:
    assert to_postgres("WHERE a = ?1 AND (b = ?2 OR c = ?2)") == (
        "WHERE a = $1 AND (b = $2 OR c = $2)"
    )
    with pytest.raises(MixedPlaceholders):
        to_postgres("WHERE a = ?1 AND b = ?")


def test_a_password_never_reaches_a_message() -> None:
    assert redact("postgresql://bot:s3cret@db.internal:5432/bot") == (
        "postgresql://bot:***@db.internal:5432/bot"
    )
    assert redact("postgresql://postgres@127.0.0.1/test") == "postgresql://postgres@127.0.0.1/test"


async def columns(store: Store) -> dict[str, list[str]]:
    found = {}
    for table in await store.db.tables():
        if store.db.engine == "sqlite":
            rows = await store.db.fetchall(f"PRAGMA table_info({table})")
            found[table] = sorted(str(row["name"]) for row in rows)
        else:
            rows = await store.db.fetchall(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = ?",
                (table,),
            )
            found[table] = sorted(str(row["column_name"]) for row in rows)
    return found


@needs_postgres
async def test_both_engines_end_with_the_same_tables_and_columns(tmp_path: Path) -> None:
    sqlite = Store(tmp_path / "bot.db")
    await sqlite.open()
    url = postgres_url()
    assert url is not None
    async with fresh_schema(url) as located:
        postgres = Store(located)
        applied = await postgres.open()
        try:
            assert applied == [version for version, _ in migration_files()]
            assert await postgres.db.schema_version() == applied[-1]
            assert await postgres.db.integrity_check() == "ok"
            assert await columns(postgres) == await columns(sqlite)
        finally:
            await postgres.close()
            await sqlite.close()


@needs_postgres
async def test_a_second_start_applies_nothing_and_keeps_rows() -> None:
    url = postgres_url()
    assert url is not None
    async with fresh_schema(url) as located:
        first = Store(located)
        await first.open()
        await first.meta.set("marker", "kept")
        await first.close()
        second = Store(located)
        try:
            assert await second.open() == []
            assert await second.meta.get("marker") == "kept"
        finally:
            await second.close()


@needs_postgres
async def test_only_one_process_holds_a_named_lock() -> None:
    url = postgres_url()
    assert url is not None
    async with fresh_schema(url) as located:
        one, two = Store(located), Store(located)
        await one.open()
        await two.open()
        try:
            async with one.db.lock("sync") as first:
                async with two.db.lock("sync") as second:
                    assert (first, second) == (True, False)
                async with two.db.lock("purge") as other:
                    assert other
            async with two.db.lock("sync") as after:
                assert after
        finally:
            await one.close()
            await two.close()
