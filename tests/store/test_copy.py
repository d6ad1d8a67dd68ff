"""`db copy`: a SQLite database with every kind of row into PostgreSQL, verified, and the copy
behaves as the original (same reads, same ids and outcomes for the same writes)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import main
from bot.store import Store
from bot.store.copy import CopyRefused, checksum, copy_file_to
from tests.databases import fresh_schema, postgres_url
from tests.services.test_privacy_store import NOW, A, B, G, H, T, seeded, service

pytestmark = pytest.mark.skipif(postgres_url() is None, reason="BOT_TEST_DATABASE_URL unset")
MEMBERS = [(g, m) for g in (G, H) for m in (A, B)]


@pytest.fixture
async def target() -> AsyncIterator[str]:
    url = postgres_url()
    assert url is not None
    async with fresh_schema(url) as located:
        yield located


async def sample(path: Path) -> None:
    store = Store(path)
    await store.open()
    try:
        await seeded(store)
        async with store.db.transaction() as conn:
            # A guild the bot left, waiting for its purge.
            await conn.execute(
                "INSERT INTO guild_departures (guild_id, left_at) VALUES (?, ?)", (3_000, T)
            )
            await conn.execute(
                "INSERT INTO cooldowns (guild_id, kind, seconds, updated_at) VALUES (?, ?, ?, ?)",
                (G, "answer", 30, T),
            )
            await conn.execute(
                "INSERT INTO web_settings (guild_id, public, guild_name, updated_at) "
                "VALUES (?, 1, 'Study Hall', ?)",
                (G, T),
            )
            await conn.execute(
                "INSERT INTO llm_admissions (guild_id, user_id, operation, reserved_tokens, "
                "counts_as_answer, created_at) VALUES (?, 1, 'grade', 6000, 1, ?)",
                (G, T),
            )
            await conn.execute(
                "INSERT INTO llm_admission_locks (guild_id, admissions) VALUES (?, 1)", (G,)
            )
    finally:
        await store.close()


async def reads(store: Store) -> dict[str, Any]:
    """What members and boards see: every member's export, every board, the totals."""
    seen: dict[str, Any] = {}
    for g, m in MEMBERS:
        seen[f"export {g}/{m}"] = await store.privacy.export_member(g, m)
    for g in (G, H):
        for period in ("all", "w2026-11-23", "m2026-11"):
            seen[f"board {g} {period}"] = await store.points.page(g, period, "", offset=0, limit=10)
    rows = await store.db.fetchall("SELECT * FROM points_totals")
    seen["totals"] = sorted(tuple(row) for row in rows)
    return seen


async def writes(store: Store) -> dict[str, Any]:
    """The same new rows on both: ids continue after the copied ones, outcomes match."""
    post = await store.posts.claim(
        G, "2026-11-27", question_id="q3", round_name="coding", channel_id=1, now=NOW
    )
    assert post is not None
    again = await store.posts.claim(
        G, "2026-11-27", question_id="q4", round_name="coding", channel_id=1, now=NOW
    )
    answer = await store.answers.save_daily(
        guild_id=G,
        user_id=A,
        post_id=post.post_id,
        question_id="q3",
        content="a new answer",
        locale=None,
        local_date="2026-11-27",
        now=NOW,
    )
    deleted = await service(store).delete(H, B)
    return {
        "post": post.post_id,
        "claimed twice": again,
        "answer": answer.answer_id,
        "deleted": deleted,
    }


async def test_every_row_is_copied_verified_and_behaves_as_before(
    tmp_path: Path, target: str
) -> None:
    path = tmp_path / "bot.db"
    await sample(path)
    report = await copy_file_to(path, target)
    assert report.ok
    sqlite, postgres = Store(path), Store(target)
    await sqlite.open()
    await postgres.open()
    try:
        tables = await sqlite.db.tables()
        assert [t.table for t in report.tables] != [] and sorted(
            t.table for t in report.tables
        ) == sorted(tables)
        empty = [t.table for t in report.tables if t.source_rows == 0]
        assert empty == [], "the sample must hold every kind of row"
        # Analysed after the bulk load (a never-analysed table has reltuples -1).
        unanalysed = await postgres.db.fetchall(
            "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
            "AND relkind = 'r' AND reltuples < 0 AND relname <> 'schema_migrations'"
        )
        assert [row["relname"] for row in unanalysed] == []
        assert await reads(postgres) == await reads(sqlite)
        assert await writes(postgres) == await writes(sqlite)
        assert await reads(postgres) == await reads(sqlite)
    finally:
        await sqlite.close()
        await postgres.close()


async def test_a_target_with_rows_is_refused_and_left_as_it_was(
    tmp_path: Path, target: str
) -> None:
    path = tmp_path / "bot.db"
    await sample(path)
    first = await copy_file_to(path, target)
    with pytest.raises(CopyRefused, match="not empty"):
        await copy_file_to(path, target)
    again = Store(target)
    await again.open()
    try:
        row = await again.db.fetchone("SELECT COUNT(*) AS n FROM answers")
        answers = next(t for t in first.tables if t.table == "answers")
        assert row["n"] == answers.source_rows
    finally:
        await again.close()


def test_the_checksum_ignores_order_but_not_content() -> None:
    rows = [(1, "a", 2.5, None), (2, "b", 0.0, "x")]
    assert checksum(rows) == checksum(list(reversed(rows)))
    assert checksum(rows) != checksum([(1, "a", 2.5, None), (2, "b", 0.0, "y")])
    assert checksum(rows) != checksum(rows[:1])


def test_the_command_prints_the_figures_per_table(
    tmp_path: Path, target: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bot.db"
    asyncio.run(sample(path))
    monkeypatch.setenv("BOT_DATABASE_PATH", str(path))
    monkeypatch.delenv("BOT_DATABASE_URL", raising=False)
    assert main(["db", "copy", "--to", target]) == 0
    out = capsys.readouterr().out
    assert "answers" in out and "copied and verified" in out and "MISMATCH" not in out
    assert main(["db", "copy", "--to", target]) == 1
    assert "not empty" in capsys.readouterr().err
