"""Privacy on a real, fully migrated SQLite file: every table that names a member is covered by
export and delete, a deletion leaves no trace of the member and nothing of anyone else missing,
and a purge removes a whole guild and nothing more."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.domain.clock import ManualClock
from bot.domain.errors import UserError
from bot.domain.message import Channel
from bot.services.privacy import PrivacyService
from bot.store import Store
from bot.store.privacy_coverage import (
    CHILD_TABLES,
    GLOBAL_TABLES,
    GUILD_ONLY_TABLES,
    MEMBER_COLUMNS,
    PURGED_TABLES,
)
from bot.store.privacy_sql import EXPORT_SECTIONS

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
T = NOW.isoformat()
G, H = 1_000, 2_000  # two guilds
A, B = 11, 22  # two members in both

# A column that names a member: what the coverage check looks for in every table.
MEMBER_LIKE = re.compile(
    r"^(user_id|.+_user_id|member_id|candidate_id|interviewer_id|giver_id|receiver_id|"
    r"actor_id|target_id|author_id|owner_id|.+_by)$"
)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = Store(tmp_path / "bot.db")
    await store.open()
    try:
        yield store
    finally:
        await store.close()


async def tables(conn: aiosqlite.Connection) -> dict[str, list[str]]:
    """Every table with its columns, read from the schema itself."""
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ) as cursor:
        names = [row[0] for row in await cursor.fetchall()]
    found = {}
    for name in names:
        async with conn.execute(f"PRAGMA table_info({name})") as cursor:
            found[name] = [row[1] for row in await cursor.fetchall()]
    return found


async def uncovered(conn: aiosqlite.Connection) -> list[str]:
    """What the privacy coverage map misses (or lists but the schema lacks)."""
    schema = await tables(conn)
    problems = []
    member_columns = {
        (table, column)
        for table, columns in schema.items()
        for column in columns
        if MEMBER_LIKE.match(column)
    }
    for table, column in sorted(member_columns - set(MEMBER_COLUMNS)):
        problems.append(f"{table}.{column} names a member but export/delete do not cover it")
    for table, column in sorted(set(MEMBER_COLUMNS) - member_columns):
        problems.append(f"{table}.{column} is covered but not in the schema")
    member_tables = {table for table, _ in MEMBER_COLUMNS}
    for table, columns in schema.items():
        kinds = [
            table in member_tables,
            table in CHILD_TABLES,
            table in GUILD_ONLY_TABLES,
            table in GLOBAL_TABLES,
        ]
        if sum(kinds) != 1:
            problems.append(f"{table} must be exactly one of member/child/guild-only/global")
        if table in member_tables and "guild_id" not in columns:
            problems.append(f"{table} names members but has no guild_id to scope them")
    with_guild = {table for table, columns in schema.items() if "guild_id" in columns}
    if with_guild != set(PURGED_TABLES) or len(PURGED_TABLES) != len(with_guild):
        problems.append(f"a purge must cover exactly {sorted(with_guild)}")
    for child, parent in CHILD_TABLES.items():
        async with conn.execute(f"PRAGMA foreign_key_list({child})") as cursor:
            links = {(row[2], row[6]) for row in await cursor.fetchall()}  # (table, on_delete)
        if (parent, "CASCADE") not in links:
            problems.append(f"{child} must be deleted with {parent} (ON DELETE CASCADE)")
    return problems


async def test_every_member_column_is_covered_by_export_delete_and_purge(store: Store) -> None:
    assert await uncovered(store.db.conn) == []
    assert {c.section for c in MEMBER_COLUMNS.values()} == set(EXPORT_SECTIONS)


async def test_a_new_table_naming_members_fails_the_coverage_check(store: Store) -> None:
    async with store.db.transaction() as conn:
        await conn.execute(
            "CREATE TABLE badges (guild_id INTEGER, user_id INTEGER, granted_by INTEGER)"
        )
        problems = await uncovered(conn)
        await conn.execute("DROP TABLE badges")
    assert any("badges.user_id" in p for p in problems)
    assert any("badges.granted_by" in p for p in problems)
    assert any("badges must be exactly one" in p for p in problems)
    assert any("a purge must cover" in p for p in problems)


async def insert(conn: aiosqlite.Connection, table: str, **values: Any) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = await conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values())
    )
    return int(cursor.lastrowid or 0)


async def seed_guild(store: Store, g: int) -> None:
    """Rows in every table of the schema, for members A and B of guild g. Texts carry the
    guild and author, so an export can be searched for what must not be in it."""
    async with store.db.transaction() as conn:
        await insert(conn, "guilds", guild_id=g, channel_id=1, created_at=T, updated_at=T)
        post = await insert(
            conn,
            "daily_posts",
            guild_id=g,
            local_date="2026-11-26",
            question_id="q1",
            round="coding",
            channel_id=1,
            claimed_at=T,
        )
        await insert(
            conn, "mock_settings", guild_id=g, idle_minutes=30, daily_limit=3, updated_at=T
        )
        await insert(conn, "peer_settings", guild_id=g, updated_at=T)
        for m, other in ((A, B), (B, A)):
            await insert(conn, "members", guild_id=g, user_id=m, display_name=f"member{m}")
            await insert(
                conn, "member_notices", guild_id=g, user_id=m, notice="ai_grading", seen_at=T
            )
            answer = await insert(
                conn,
                "answers",
                guild_id=g,
                user_id=m,
                post_id=post,
                question_id="q1",
                source="daily",
                content=f"answer text {g}/{m}",
                local_date="2026-11-26",
                submitted_at=T,
            )
            await insert(
                conn,
                "grades",
                answer_id=answer,
                revision=1,
                overall=4.0,
                max_score=5,
                grader="offline",
                prompt_version="v1",
                detail_json=json.dumps({"summary": f"grade comment {g}/{m}"}),
                created_at=T,
            )
            await insert(
                conn, "hint_uses", guild_id=g, user_id=m, post_id=post, hint_index=0, used_at=T
            )
            await insert(conn, "clarify_uses", guild_id=g, user_id=m, post_id=post, used_at=T)
            await insert(
                conn,
                "points",
                guild_id=g,
                user_id=m,
                kind="daily",
                ref=str(post),
                round="coding",
                amount=10 + m,
                local_date="2026-11-26",
                earned_at=T,
            )
            await insert(
                conn,
                "streak_restores",
                guild_id=g,
                user_id=m,
                local_date="2026-11-20",
                restored_by=other,
                created_at=T,
            )
            await insert(
                conn, "milestone_grants", guild_id=g, user_id=m, milestone="streak7", granted_at=T
            )
            await insert(
                conn,
                "season_awards",
                guild_id=g,
                season="m2026-10",
                place=1,
                user_id=m,
                points=50,
                awarded_at=T,
            )
            loop = await insert(
                conn, "mock_loops", guild_id=g, user_id=m, track="swe", started_at=T
            )
            mock = await insert(
                conn,
                "mock_rounds",
                guild_id=g,
                user_id=m,
                channel_id=1,
                thread_id=g * 100 + m,
                question_id="q2",
                round="coding",
                difficulty="medium",
                time_box_minutes=45,
                loop_id=loop,
                loop_position=0,
                status="closed",
                end_reason="ended",
                ended_by=other,  # an admin ended each one's round: the export names it
                local_date="2026-11-26",
                started_at=T,
                last_turn_at=T,
            )
            for seq, speaker, text in (
                (1, "interviewer", "Tell me about the design."),
                (2, "candidate", f"mock turn {g}/{m}"),
            ):
                await insert(
                    conn,
                    "mock_turns",
                    round_id=mock,
                    seq=seq,
                    speaker=speaker,
                    content=text,
                    source="modal",
                    created_at=T,
                )
            await insert(conn, "mock_nudges", round_id=mock, nudge="ten", sent_at=T)
            await insert(
                conn,
                "llm_usage",
                guild_id=g,
                user_id=m,
                operation="grade",
                model="claude-haiku-5-5",
                prompt_version="v1",
                input_tokens=100,
                output_tokens=50,
                cache_read_tokens=0,
                cache_write_tokens=0,
                created_at=T,
            )
            await insert(
                conn,
                "llm_admissions",
                guild_id=g,
                user_id=m,
                operation="grade",
                reserved_tokens=0,
                counts_as_answer=1,
                created_at=T,
            )
            await insert(
                conn,
                "progress_audit",
                guild_id=g,
                actor_id=other,
                action="streak_restore",
                target_id=m,
                detail_json=json.dumps({"reason": f"restore reason {g}/{m}"}),
                created_at=T,
            )
        session = await insert(
            conn,
            "peer_sessions",
            guild_id=g,
            round="coding",
            first_user_id=A,
            second_user_id=B,
            first_level="mid",
            second_level="senior",
            question_1="q3",
            question_2="q4",
            channel_id=1,
            thread_id=g * 100 + 99,
            status="ended",
            half=2,
            starts_at=T,
            half_started_at=T,
            created_at=T,
            ended_at=T,
        )
        await insert(conn, "peer_nudges", session_id=session, key="start", sent_at=T)
        for m, other in ((A, B), (B, A)):
            await insert(
                conn,
                "peer_queue",
                guild_id=g,
                user_id=m,
                round="coding",
                channel_id=1,
                joined_at=T,
                earliest=T,
                latest=T,
                windowed=0,
                status="matched",
                session_id=session,
            )
            await insert(
                conn,
                "peer_feedback",
                session_id=session,
                giver_id=m,
                receiver_id=other,
                guild_id=g,
                question_id="q3",
                scores_json="{}",
                went_well=f"feedback {g} from {m} to {other}",
                to_improve="more tests",
                created_at=T,
            )
        await insert(
            conn,
            "custom_questions",
            guild_id=g,
            question_id="custom-1",
            round="coding",
            difficulty="easy",
            body_json="{}",
            added_by=A,
            added_at=T,
        )
        await insert(
            conn, "disabled_questions", guild_id=g, question_id="q9", disabled_by=A, disabled_at=T
        )
        await insert(conn, "progress_settings", guild_id=g, updated_by=A, updated_at=T)
        await insert(conn, "grading_limits", guild_id=g, updated_by=A, updated_at=T)


async def seeded(store: Store) -> Store:
    await seed_guild(store, G)
    await seed_guild(store, H)
    async with store.db.transaction() as conn:
        await conn.execute("INSERT INTO meta (key, value) VALUES ('marker', 'kept')")
    return store


async def count(store: Store, sql: str, *params: Any) -> int:
    row = await store.db.fetchone(sql, params)
    assert row is not None
    return int(row[0])


async def snapshot(store: Store, guild_id: int) -> dict[str, int]:
    """Rows per table of one guild (child tables through their parents)."""
    schema = await tables(store.db.conn)
    counts = {
        t: await count(store, f"SELECT COUNT(*) FROM {t} WHERE guild_id = ?", guild_id)
        for t, columns in schema.items()
        if "guild_id" in columns
    }
    counts["grades"] = await count(
        store,
        "SELECT COUNT(*) FROM grades JOIN answers USING (answer_id) WHERE guild_id = ?",
        guild_id,
    )
    counts["mock_turns"] = await count(
        store,
        "SELECT COUNT(*) FROM mock_turns JOIN mock_rounds USING (round_id) WHERE guild_id = ?",
        guild_id,
    )
    return counts


def service(store: Store, clock: ManualClock | None = None) -> PrivacyService:
    return PrivacyService(
        store, clock or ManualClock(NOW), ai_grading=True, retention=timedelta(days=30)
    )


async def test_export_has_every_section_of_the_member_and_nothing_of_others(
    store: Store,
) -> None:
    await seeded(store)
    exported = await service(store).export(G, A)
    document = exported.document()
    text = json.dumps(document)

    assert (document["guild_id"], document["user_id"]) == (G, A)
    assert [name for name in EXPORT_SECTIONS if not document[name]] == []  # all seeded
    [answer] = document["answers"]
    assert answer["content"] == f"answer text {G}/{A}"
    assert answer["grades"][0]["detail"]["summary"] == f"grade comment {G}/{A}"
    [mock] = document["mock_rounds"]
    assert [t["content"] for t in mock["transcript"]][-1] == f"mock turn {G}/{A}"
    assert document["peer_feedback_received"][0]["went_well"] == f"feedback {G} from {B} to {A}"
    assert document["peer_feedback_given"][0]["went_well"] == f"feedback {G} from {A} to {B}"
    [session] = document["peer_sessions"]
    assert (session["partner_id"], session["your_level"]) == (B, "mid")
    assert "senior" not in json.dumps(session)  # the partner's level is theirs
    for absent in (f"answer text {G}/{B}", f"mock turn {G}/{B}", f"grade comment {G}/{B}"):
        assert absent not in text
    assert f"answer text {H}/{A}" not in text and f"mock turn {H}/{A}" not in text  # other guild


async def test_delete_leaves_no_trace_and_keeps_everyone_elses_data(store: Store) -> None:
    await seeded(store)
    before_h = await snapshot(store, H)
    bob_export = json.dumps((await service(store).export(G, B)).document())

    footprint = await service(store).footprint(G, A)
    assert footprint.points == 10 + A  # the one points row seeded
    assert footprint.removed["answers"] == 1 and footprint.unnamed["peer_feedback_given"] == 1
    deleted = await service(store).delete(G, A)
    assert deleted.removed["answers"] == 1 and deleted.removed["mock_rounds"] == 1

    schema = await tables(store.db.conn)
    for table, columns in schema.items():
        for column in columns:
            if MEMBER_LIKE.match(column) and "guild_id" in columns:
                left = await count(
                    store, f"SELECT COUNT(*) FROM {table} WHERE guild_id = ? AND {column} = ?", G, A
                )
                assert left == 0, f"{table}.{column} still names the member"
    assert (
        await count(store, "SELECT COUNT(*) FROM mock_turns WHERE content LIKE ?", f"%{G}/{A}") == 0
    )
    assert await count(store, "SELECT COUNT(*) FROM grades") == 3  # B's here, both in H
    # Bob keeps all of his: what Alice gave him stays, unsigned; the session stays his.
    after_bob = (await service(store).export(G, B)).document()
    assert after_bob["peer_feedback_received"][0]["giver_id"] == 0
    assert after_bob["peer_feedback_received"][0]["went_well"] == f"feedback {G} from {A} to {B}"
    assert after_bob["peer_feedback_given"] == []  # it was Alice's, and she deleted it
    assert after_bob["peer_sessions"][0]["partner_id"] == 0
    assert f"answer text {G}/{B}" in bob_export and after_bob["answers"][0]["content"] == (
        f"answer text {G}/{B}"
    )
    assert await store.points.total(G, B) == 10 + B
    assert await store.points.total(G, A) == 0
    assert await snapshot(store, H) == before_h  # the other guild is untouched
    assert list(await store.db.fetchall("PRAGMA foreign_key_check")) == []
    assert await store.meta.get("marker") == "kept"

    # Bob deletes too: the session has nobody left in it and goes, feedback and all.
    await service(store).delete(G, B)
    assert await count(store, "SELECT COUNT(*) FROM peer_sessions WHERE guild_id = ?", G) == 0
    assert await count(store, "SELECT COUNT(*) FROM peer_feedback WHERE guild_id = ?", G) == 0
    assert (await service(store).footprint(G, B)).empty


async def test_every_server_at_once_for_a_member_who_left(store: Store) -> None:
    """`python -m bot privacy`: each guild where any column names the member, whatever the
    table; the same deletion as /privacy in each."""
    await seeded(store)
    privacy = service(store)
    assert await privacy.guilds_of(A) == [G, H]
    assert [e.guild_id for e in await privacy.export_everywhere(A)] == [G, H]
    assert set(await privacy.footprint_everywhere(A)) == {G, H}
    bob_before = [e.document()["answers"] for e in await privacy.export_everywhere(B)]
    deleted = await privacy.delete_everywhere(A)
    assert all(f.removed["answers"] == 1 for f in deleted.values())
    schema = await tables(store.db.conn)
    for table, columns in schema.items():
        for column in columns:
            if MEMBER_LIKE.match(column) and "guild_id" in columns:
                left = await count(store, f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", A)
                assert left == 0, f"{table}.{column} still names the member"
    assert await privacy.guilds_of(A) == []
    assert [e.document()["answers"] for e in await privacy.export_everywhere(B)] == bob_before


async def test_delete_waits_for_a_running_mock_round_or_peer_session(store: Store) -> None:
    await seeded(store)
    async with store.db.transaction() as conn:
        await conn.execute(
            "UPDATE mock_rounds SET status = 'active' WHERE guild_id = ? AND user_id = ?", (G, A)
        )
    with pytest.raises(UserError, match="mock round running") as refused:
        await service(store).footprint(G, A)
    assert refused.value.params["thread"] == Channel(G * 100 + A)  # the ui links the thread
    with pytest.raises(UserError, match="Nothing was deleted"):
        await service(store).delete(G, A)
    assert await count(store, "SELECT COUNT(*) FROM answers WHERE user_id = ?", A) == 2

    async with store.db.transaction() as conn:
        await conn.execute("UPDATE mock_rounds SET status = 'closed'")
        await conn.execute("UPDATE peer_sessions SET status = 'active' WHERE guild_id = ?", (G,))
    with pytest.raises(UserError, match="peer session"):
        await service(store).delete(G, B)
    await service(store).delete(H, B)  # another guild's session is not in the way


async def test_hide_and_show_flow_into_the_totals(store: Store) -> None:
    await seeded(store)
    privacy = service(store)
    assert await privacy.hide(G, A, "alice") and not await privacy.hide(G, A, "alice")
    hidden = await store.db.fetchall(
        "SELECT DISTINCT hidden FROM points_totals WHERE guild_id = ? AND user_id = ?", (G, A)
    )
    assert [row[0] for row in hidden] == [1]
    assert [s.user_id for s in await store.points.page(G, "all", "", offset=0, limit=10)] == [B]
    assert await privacy.show(G, A) and not await privacy.show(G, A)
    assert {s.user_id for s in await store.points.page(G, "all", "", offset=0, limit=10)} == {A, B}
    # Hiding before ever earning a point needs a member row, and a later point stays hidden.
    assert await privacy.hide(G, 99, "newcomer")
    assert not await privacy.show(G, 98)  # never hidden, no row made
    assert await store.members.get(G, 98) is None


async def test_the_notice_is_due_once_and_only_with_the_ai_grader(store: Store) -> None:
    ai = service(store)
    offline = PrivacyService(store, ManualClock(NOW), ai_grading=False, retention=timedelta(1))
    assert not await offline.notice_due(G, A)
    assert await ai.notice_due(G, A)
    await ai.notice_shown(G, A)
    await ai.notice_shown(G, A)  # twice is harmless
    assert not await ai.notice_due(G, A)
    assert await ai.notice_due(H, A)  # per server


async def test_purge_after_retention_removes_the_guild_and_nothing_else(store: Store) -> None:
    await seeded(store)
    clock = ManualClock(NOW)
    privacy = service(store, clock)
    before_h = await snapshot(store, H)
    assert await privacy.guild_left(G) and not await privacy.guild_left(G)

    clock.advance(timedelta(days=29, hours=23))
    assert await privacy.purge_due() == []
    assert (await snapshot(store, G))["answers"] == 2
    clock.advance(timedelta(hours=2))
    assert await privacy.purge_due() == [G]

    assert set((await snapshot(store, G)).values()) == {0}
    assert await count(store, "SELECT COUNT(*) FROM grades") == 2  # H's
    assert await count(store, "SELECT COUNT(*) FROM mock_turns") == 4
    assert await count(store, "SELECT COUNT(*) FROM mock_nudges") == 2
    assert await count(store, "SELECT COUNT(*) FROM peer_nudges") == 1
    assert await snapshot(store, H) == before_h
    assert list(await store.db.fetchall("PRAGMA foreign_key_check")) == []
    assert await privacy.purge_due() == []


async def test_rejoining_before_the_purge_keeps_everything(store: Store) -> None:
    await seeded(store)
    clock = ManualClock(NOW)
    privacy = service(store, clock)
    await privacy.guild_left(G)
    clock.advance(timedelta(days=10))
    assert (await privacy.guild_joined(G)).purge_cancelled
    clock.advance(timedelta(days=60))
    assert await privacy.purge_due() == []
    assert (await snapshot(store, G))["answers"] == 2


async def test_reconcile_catches_leaving_and_rejoining_while_offline(store: Store) -> None:
    await seeded(store)
    privacy = service(store)
    await privacy.guild_left(H)
    report = await privacy.reconcile({H}, owns=lambda guild_id: True)  # H back, G gone
    assert (report.recorded, report.cancelled, report.away) == ([G], [H], {G})
    # A guild on another process's shards is that process's business.
    await privacy.guild_joined(G)
    report = await privacy.reconcile(set(), owns=lambda guild_id: guild_id == H)
    assert (report.recorded, report.away) == ([H], {H})
