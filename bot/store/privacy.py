"""All the SQL of `/privacy`: one member's data in one guild (export, delete, hide), one-time
notices, and whole guilds the bot left (purge).

`MEMBER_COLUMNS` says, for every column that names a member, where the export puts its rows and
what deleting the member does to them; the coverage test fails when a table gains such a column
that is not listed here, so new data cannot silently escape export and deletion.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.store._convert import to_iso
from bot.store.database import Connection, Database, Row


class OnDelete(StrEnum):
    # The member's own row: deleted (its child rows go with it, ON DELETE CASCADE).
    DELETE = "delete"
    # A row that is also someone else's or the guild's (a partner's feedback, a question the
    # member added, the guild's spend): kept, with the member's id replaced by 0 (or NULL).
    ANONYMISE = "anonymise"
    # Kept up to date from other rows by triggers (points_totals): removed with them.
    DERIVED = "derived"


@dataclass(frozen=True)
class Coverage:
    section: str  # the export section holding these rows
    on_delete: OnDelete


MEMBER_COLUMNS: dict[tuple[str, str], Coverage] = {
    ("members", "user_id"): Coverage("member", OnDelete.DELETE),
    ("member_notices", "user_id"): Coverage("notices", OnDelete.DELETE),
    ("answers", "user_id"): Coverage("answers", OnDelete.DELETE),
    ("hint_uses", "user_id"): Coverage("hints_used", OnDelete.DELETE),
    ("points", "user_id"): Coverage("points", OnDelete.DELETE),
    ("points_totals", "user_id"): Coverage("points_totals", OnDelete.DERIVED),
    ("streak_restores", "user_id"): Coverage("streak_restores", OnDelete.DELETE),
    ("streak_restores", "restored_by"): Coverage("streak_restores_made", OnDelete.ANONYMISE),
    ("milestone_grants", "user_id"): Coverage("milestone_grants", OnDelete.DELETE),
    ("season_awards", "user_id"): Coverage("season_awards", OnDelete.DELETE),
    ("mock_loops", "user_id"): Coverage("mock_loops", OnDelete.DELETE),
    ("mock_rounds", "user_id"): Coverage("mock_rounds", OnDelete.DELETE),
    # An admin who ended someone else's round: the round is the candidate's, so it stays.
    ("mock_rounds", "ended_by"): Coverage("mock_rounds_ended", OnDelete.ANONYMISE),
    ("peer_queue", "user_id"): Coverage("peer_queue", OnDelete.DELETE),
    # A session is the partner's too: the member's side becomes 0; once both sides are gone the
    # session row goes (nothing of anyone is left in it).
    ("peer_sessions", "first_user_id"): Coverage("peer_sessions", OnDelete.ANONYMISE),
    ("peer_sessions", "second_user_id"): Coverage("peer_sessions", OnDelete.ANONYMISE),
    ("peer_sessions", "no_show_user_id"): Coverage("peer_sessions", OnDelete.ANONYMISE),
    ("peer_feedback", "receiver_id"): Coverage("peer_feedback_received", OnDelete.DELETE),
    # Feedback the member gave is what their partner received: it stays, unsigned.
    ("peer_feedback", "giver_id"): Coverage("peer_feedback_given", OnDelete.ANONYMISE),
    # The guild's token budget counts these rows, so they stay without the member's id.
    ("llm_usage", "user_id"): Coverage("llm_usage", OnDelete.ANONYMISE),
    # Today's admissions count the guild's spend too: kept without the member's id.
    ("llm_admissions", "user_id"): Coverage("llm_admissions", OnDelete.ANONYMISE),
    ("progress_audit", "target_id"): Coverage("audit_about_you", OnDelete.DELETE),
    ("progress_audit", "actor_id"): Coverage("audit_by_you", OnDelete.ANONYMISE),
    ("custom_questions", "added_by"): Coverage("questions_added", OnDelete.ANONYMISE),
    ("disabled_questions", "disabled_by"): Coverage("questions_disabled", OnDelete.ANONYMISE),
    ("progress_settings", "updated_by"): Coverage("progress_settings_changed", OnDelete.ANONYMISE),
    ("grading_limits", "updated_by"): Coverage("grading_limits_changed", OnDelete.ANONYMISE),
}

# Tables without a member column whose rows belong to a row of another table (deleted and
# purged with it by ON DELETE CASCADE).
CHILD_TABLES: dict[str, str] = {
    "grades": "answers",
    "mock_turns": "mock_rounds",
    "mock_nudges": "mock_rounds",
    "peer_nudges": "peer_sessions",
}
# Guild settings and posts: no member in them, purged with the guild.
GUILD_ONLY_TABLES = frozenset(
    {
        "guilds",
        "daily_posts",
        "mock_settings",
        "peer_settings",
        "guild_departures",
        "cooldowns",
        "web_settings",
        "llm_admission_locks",
    }
)
# Not about any guild.
GLOBAL_TABLES = frozenset({"meta"})

# Every table with a guild_id column, in the order a purge deletes them (the summary table first,
# so the points triggers find nothing left to update).
PURGED_TABLES = (
    "points_totals",
    "points",
    "hint_uses",
    "answers",
    "daily_posts",
    "streak_restores",
    "milestone_grants",
    "season_awards",
    "progress_audit",
    "progress_settings",
    "mock_rounds",
    "mock_loops",
    "mock_settings",
    "peer_feedback",
    "peer_queue",
    "peer_sessions",
    "peer_settings",
    "llm_usage",
    "llm_admissions",
    "llm_admission_locks",
    "grading_limits",
    "cooldowns",
    "web_settings",
    "custom_questions",
    "disabled_questions",
    "member_notices",
    "members",
    "guilds",
    "guild_departures",
)

# Each export section: its columns and its rows, ?1 being the guild id and ?2 the member's id.
_SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "member",
        "display_name, hidden, share_answers",
        "FROM members WHERE guild_id = ?1 AND user_id = ?2",
    ),
    ("notices", "notice, seen_at", "FROM member_notices WHERE guild_id = ?1 AND user_id = ?2"),
    (
        "answers",
        "*",
        "FROM answers WHERE guild_id = ?1 AND user_id = ?2 ORDER BY submitted_at, answer_id",
    ),
    (
        "hints_used",
        "post_id, hint_index, used_at",
        "FROM hint_uses WHERE guild_id = ?1 AND user_id = ?2 ORDER BY used_at",
    ),
    (
        "points",
        "kind, ref, round, amount, local_date, earned_at",
        "FROM points WHERE guild_id = ?1 AND user_id = ?2 ORDER BY earned_at",
    ),
    (
        "points_totals",
        "period, round, points, hidden",
        "FROM points_totals WHERE guild_id = ?1 AND user_id = ?2 ORDER BY period, round",
    ),
    (
        "streak_restores",
        "local_date, restored_by, created_at",
        "FROM streak_restores WHERE guild_id = ?1 AND user_id = ?2 ORDER BY local_date",
    ),
    (
        "streak_restores_made",
        "user_id, local_date, created_at",
        "FROM streak_restores WHERE guild_id = ?1 AND restored_by = ?2 ORDER BY created_at",
    ),
    (
        "milestone_grants",
        "milestone, granted_at",
        "FROM milestone_grants WHERE guild_id = ?1 AND user_id = ?2 ORDER BY granted_at",
    ),
    (
        "season_awards",
        "season, place, points, awarded_at",
        "FROM season_awards WHERE guild_id = ?1 AND user_id = ?2 ORDER BY season",
    ),
    (
        "mock_loops",
        "*",
        "FROM mock_loops WHERE guild_id = ?1 AND user_id = ?2 ORDER BY started_at, loop_id",
    ),
    (
        "mock_rounds",
        "*",
        "FROM mock_rounds WHERE guild_id = ?1 AND user_id = ?2 ORDER BY started_at, round_id",
    ),
    (
        "mock_rounds_ended",
        "round_id, user_id AS candidate_id, ended_at",
        "FROM mock_rounds WHERE guild_id = ?1 AND ended_by = ?2 AND user_id <> ?2 "
        "ORDER BY ended_at, round_id",
    ),
    (
        "peer_queue",
        "*",
        "FROM peer_queue WHERE guild_id = ?1 AND user_id = ?2 ORDER BY joined_at, entry_id",
    ),
    (
        "peer_sessions",
        # The member's side of the session; of the partner only who they were.
        """session_id, round, status, half,
            CASE WHEN first_user_id = ?2 THEN 1 ELSE 2 END AS your_turn_to_interview,
            CASE WHEN first_user_id = ?2 THEN second_user_id ELSE first_user_id END AS partner_id,
            CASE WHEN first_user_id = ?2 THEN first_level ELSE second_level END AS your_level,
            question_1, question_2, channel_id, thread_id, starts_at, created_at, ended_at,
            CASE WHEN first_user_id = ?2 THEN first_seen_at ELSE second_seen_at END
                AS you_arrived_at,
            CASE WHEN no_show_user_id IS NULL THEN NULL
                 WHEN no_show_user_id = ?2 THEN 'you' ELSE 'partner' END AS no_show""",
        "FROM peer_sessions WHERE guild_id = ?1 "
        "AND (first_user_id = ?2 OR second_user_id = ?2 OR no_show_user_id = ?2) "
        "ORDER BY created_at, session_id",
    ),
    (
        "peer_feedback_received",
        "session_id, giver_id, question_id, scores_json, went_well, to_improve, created_at",
        "FROM peer_feedback WHERE guild_id = ?1 AND receiver_id = ?2 ORDER BY created_at",
    ),
    (
        "peer_feedback_given",
        "session_id, receiver_id, question_id, scores_json, went_well, to_improve, created_at",
        "FROM peer_feedback WHERE guild_id = ?1 AND giver_id = ?2 ORDER BY created_at",
    ),
    (
        "llm_usage",
        "operation, model, prompt_version, stop_reason, input_tokens, output_tokens, "
        "cache_read_tokens, cache_write_tokens, created_at",
        "FROM llm_usage WHERE guild_id = ?1 AND user_id = ?2 ORDER BY created_at, usage_id",
    ),
    (
        "llm_admissions",
        "operation, reserved_tokens, counts_as_answer, created_at",
        "FROM llm_admissions WHERE guild_id = ?1 AND user_id = ?2 "
        "ORDER BY created_at, admission_id",
    ),
    (
        "audit_about_you",
        "actor_id, action, detail_json, created_at",
        "FROM progress_audit WHERE guild_id = ?1 AND target_id = ?2 ORDER BY created_at",
    ),
    (
        "audit_by_you",
        "action, target_id, detail_json, created_at",
        "FROM progress_audit WHERE guild_id = ?1 AND actor_id = ?2 ORDER BY created_at",
    ),
    (
        "questions_added",
        "question_id, round, difficulty, body_json, added_at",
        "FROM custom_questions WHERE guild_id = ?1 AND added_by = ?2 ORDER BY added_at",
    ),
    (
        "questions_disabled",
        "question_id, disabled_at",
        "FROM disabled_questions WHERE guild_id = ?1 AND disabled_by = ?2 ORDER BY disabled_at",
    ),
    (
        "progress_settings_changed",
        "freezes_per_week, streak7_role_id, streak30_role_id, top3_role_id, updated_at",
        "FROM progress_settings WHERE guild_id = ?1 AND updated_by = ?2",
    ),
    (
        "grading_limits_changed",
        "member_daily_answers, guild_daily_tokens, updated_at",
        "FROM grading_limits WHERE guild_id = ?1 AND updated_by = ?2",
    ),
)
EXPORT_SECTIONS = tuple(name for name, _, _ in _SECTIONS)

# Child rows exported inside their parent's rows: (section, key, joining column, query).
_NESTED: tuple[tuple[str, str, str, str], ...] = (
    (
        "answers",
        "grades",
        "answer_id",
        "SELECT g.* FROM grades AS g JOIN answers AS a ON a.answer_id = g.answer_id "
        "WHERE a.guild_id = ?1 AND a.user_id = ?2 ORDER BY g.grade_id",
    ),
    (
        "mock_rounds",
        "transcript",
        "round_id",
        "SELECT t.round_id, t.seq, t.speaker, t.content, t.source, t.created_at "
        "FROM mock_turns AS t JOIN mock_rounds AS r ON r.round_id = t.round_id "
        "WHERE r.guild_id = ?1 AND r.user_id = ?2 ORDER BY t.round_id, t.seq",
    ),
    (
        "mock_rounds",
        "nudges",
        "round_id",
        "SELECT n.round_id, n.nudge, n.sent_at "
        "FROM mock_nudges AS n JOIN mock_rounds AS r ON r.round_id = n.round_id "
        "WHERE r.guild_id = ?1 AND r.user_id = ?2 ORDER BY n.round_id, n.sent_at",
    ),
)

# What deleting one member does, in order (?1 guild id, ?2 member id). Feedback the member
# received goes before the member's side of sessions is cleared, and sessions whose other side
# is already gone are deleted before it, so no session ever has 0 on both sides.
_DELETE_MEMBER: tuple[tuple[str, str], ...] = (
    ("answers", "DELETE FROM answers WHERE guild_id = ?1 AND user_id = ?2"),
    ("hints_used", "DELETE FROM hint_uses WHERE guild_id = ?1 AND user_id = ?2"),
    # The triggers of migration 0005 take each row off the totals as it goes.
    ("points", "DELETE FROM points WHERE guild_id = ?1 AND user_id = ?2"),
    ("points_totals", "DELETE FROM points_totals WHERE guild_id = ?1 AND user_id = ?2"),
    ("streak_restores", "DELETE FROM streak_restores WHERE guild_id = ?1 AND user_id = ?2"),
    (
        "streak_restores_made",
        "UPDATE streak_restores SET restored_by = 0 WHERE guild_id = ?1 AND restored_by = ?2",
    ),
    ("milestone_grants", "DELETE FROM milestone_grants WHERE guild_id = ?1 AND user_id = ?2"),
    ("season_awards", "DELETE FROM season_awards WHERE guild_id = ?1 AND user_id = ?2"),
    ("mock_rounds", "DELETE FROM mock_rounds WHERE guild_id = ?1 AND user_id = ?2"),
    (
        "mock_rounds_ended",
        "UPDATE mock_rounds SET ended_by = 0 WHERE guild_id = ?1 AND ended_by = ?2",
    ),
    ("mock_loops", "DELETE FROM mock_loops WHERE guild_id = ?1 AND user_id = ?2"),
    ("peer_queue", "DELETE FROM peer_queue WHERE guild_id = ?1 AND user_id = ?2"),
    (
        "peer_feedback_received",
        "DELETE FROM peer_feedback WHERE guild_id = ?1 AND receiver_id = ?2",
    ),
    (
        "peer_feedback_given",
        "UPDATE peer_feedback SET giver_id = 0 WHERE guild_id = ?1 AND giver_id = ?2",
    ),
    (
        "peer_sessions",
        "DELETE FROM peer_sessions WHERE guild_id = ?1 "
        "AND ((first_user_id = ?2 AND second_user_id = 0) "
        "OR (second_user_id = ?2 AND first_user_id = 0))",
    ),
    # A no-show is always one of the two sides.
    (
        "peer_sessions",
        "UPDATE peer_sessions SET first_user_id = 0, first_level = NULL, first_seen_at = NULL, "
        "no_show_user_id = CASE WHEN no_show_user_id = ?2 THEN 0 ELSE no_show_user_id END "
        "WHERE guild_id = ?1 AND first_user_id = ?2",
    ),
    (
        "peer_sessions",
        "UPDATE peer_sessions SET second_user_id = 0, second_level = NULL, second_seen_at = NULL, "
        "no_show_user_id = CASE WHEN no_show_user_id = ?2 THEN 0 ELSE no_show_user_id END "
        "WHERE guild_id = ?1 AND second_user_id = ?2",
    ),
    ("llm_usage", "UPDATE llm_usage SET user_id = NULL WHERE guild_id = ?1 AND user_id = ?2"),
    (
        "llm_admissions",
        "UPDATE llm_admissions SET user_id = NULL WHERE guild_id = ?1 AND user_id = ?2",
    ),
    ("audit_about_you", "DELETE FROM progress_audit WHERE guild_id = ?1 AND target_id = ?2"),
    (
        "audit_by_you",
        "UPDATE progress_audit SET actor_id = 0 WHERE guild_id = ?1 AND actor_id = ?2",
    ),
    (
        "questions_added",
        "UPDATE custom_questions SET added_by = 0 WHERE guild_id = ?1 AND added_by = ?2",
    ),
    (
        "questions_disabled",
        "UPDATE disabled_questions SET disabled_by = 0 WHERE guild_id = ?1 AND disabled_by = ?2",
    ),
    (
        "progress_settings_changed",
        "UPDATE progress_settings SET updated_by = 0 WHERE guild_id = ?1 AND updated_by = ?2",
    ),
    (
        "grading_limits_changed",
        "UPDATE grading_limits SET updated_by = 0 WHERE guild_id = ?1 AND updated_by = ?2",
    ),
    ("notices", "DELETE FROM member_notices WHERE guild_id = ?1 AND user_id = ?2"),
    ("member", "DELETE FROM members WHERE guild_id = ?1 AND user_id = ?2"),
)

# Work that other parts of the bot are still writing to: deleting under them would lose the
# deletion (a turn or a grade written a moment later) or break them.
_BUSY: tuple[tuple[str, str], ...] = (
    (
        "mock_round",
        "SELECT thread_id FROM mock_rounds WHERE guild_id = ?1 AND user_id = ?2 "
        "AND status IN ('opening', 'active', 'scoring')",
    ),
    (
        "peer_session",
        "SELECT thread_id FROM peer_sessions WHERE guild_id = ?1 "
        "AND (first_user_id = ?2 OR second_user_id = ?2) AND status IN ('opening', 'active')",
    ),
)


@dataclass(frozen=True)
class Busy:
    """Why a member's data cannot be deleted right now."""

    what: str  # 'mock_round' or 'peer_session'
    thread_id: int | None


@dataclass(frozen=True)
class Departure:
    guild_id: int
    left_at: datetime


def _plain(row: Row) -> dict[str, Any]:
    """A row as JSON-ready values; `*_json` columns are decoded (and lose the suffix)."""
    out: dict[str, Any] = {}
    for key, value in dict(row).items():
        if key.endswith("_json") and isinstance(value, str):
            out[key.removesuffix("_json")] = json.loads(value)
        else:
            out[key] = value
    return out


FetchOne = Callable[[str, Sequence[Any]], Awaitable[Any]]


async def _first_busy(fetchone: FetchOne, params: tuple[int, int]) -> Busy | None:
    for what, sql in _BUSY:
        row = await fetchone(sql, params)
        if row is not None:
            return Busy(what, row["thread_id"])
    return None


def _fetchone_in(conn: Connection) -> FetchOne:
    async def fetchone(sql: str, params: Sequence[Any]) -> Any:
        return await (await conn.execute(sql, params)).fetchone()

    return fetchone


async def _all(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
    return list(await (await conn.execute(sql, params)).fetchall())


class PrivacyRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ------------------------------------------------------------------ one member
    async def export_member(self, guild_id: int, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row about the member in the guild, by section, read as one snapshot."""
        params = (guild_id, user_id)
        sections: dict[str, list[dict[str, Any]]] = {}
        # A write transaction only to read everything at one point in time.
        async with self._db.transaction() as conn:
            for name, columns, where in _SECTIONS:
                rows = await _all(conn, f"SELECT {columns} {where}", params)
                sections[name] = [_plain(row) for row in rows]
            for section, key, column, sql in _NESTED:
                children: dict[Any, list[dict[str, Any]]] = {}
                for row in await _all(conn, sql, params):
                    children.setdefault(row[column], []).append(_plain(row))
                for parent in sections[section]:
                    parent[key] = children.get(parent[column], [])
        return sections

    async def footprint(self, guild_id: int, user_id: int) -> dict[str, int]:
        """How many rows each export section has for the member."""
        counts = {}
        for name, _, where in _SECTIONS:
            # `where` may end in ORDER BY, which an aggregate over it may not have.
            sql = f"SELECT COUNT(*) AS n FROM (SELECT 1 AS one {where}) AS section"
            row = await self._db.fetchone(sql, (guild_id, user_id))
            counts[name] = int(row["n"]) if row else 0
        return counts

    async def busy(self, guild_id: int, user_id: int) -> Busy | None:
        return await _first_busy(self._db.fetchone, (guild_id, user_id))

    async def delete_member(self, guild_id: int, user_id: int) -> dict[str, int] | Busy:
        """Delete (or anonymise) everything about the member in the guild, all or nothing;
        returns the rows changed per section, or what is still running and stops it."""
        params = (guild_id, user_id)
        changed: dict[str, int] = {}
        async with self._db.transaction() as conn:
            busy = await _first_busy(_fetchone_in(conn), params)
            if busy is not None:
                return busy
            for section, sql in _DELETE_MEMBER:
                cursor = await conn.execute(sql, params)
                changed[section] = changed.get(section, 0) + max(cursor.rowcount, 0)
        return changed

    async def set_hidden(
        self, guild_id: int, user_id: int, display_name: str, hidden: bool
    ) -> bool:
        """Hide or show the member on this guild's boards; False when it already was so.
        The triggers of migration 0005 mirror the flag into the totals."""
        async with self._db.transaction() as conn:
            if hidden:
                cursor = await conn.execute(
                    "INSERT INTO members (guild_id, user_id, display_name, hidden) "
                    "VALUES (?, ?, ?, 1) ON CONFLICT (guild_id, user_id) "
                    "DO UPDATE SET hidden = 1 WHERE members.hidden = 0",
                    (guild_id, user_id, display_name[:100]),
                )
            else:
                # Showing needs no row: a member without one is shown.
                cursor = await conn.execute(
                    "UPDATE members SET hidden = 0 WHERE guild_id = ? AND user_id = ? "
                    "AND hidden = 1",
                    (guild_id, user_id),
                )
            return cursor.rowcount == 1

    async def notice_seen(self, guild_id: int, user_id: int, notice: str) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM member_notices WHERE guild_id = ? AND user_id = ? AND notice = ?",
            (guild_id, user_id, notice),
        )
        return row is not None

    async def mark_notice_seen(
        self, guild_id: int, user_id: int, notice: str, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO member_notices (guild_id, user_id, notice, seen_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, user_id, notice, to_iso(now)),
            )

    # ------------------------------------------------------------------ whole guilds
    async def record_departure(self, guild_id: int, now: datetime) -> bool:
        """The bot left the guild; the first departure counts. False when already recorded."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO guild_departures (guild_id, left_at) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                (guild_id, to_iso(now)),
            )
            return cursor.rowcount == 1

    async def cancel_departure(self, guild_id: int) -> bool:
        """The bot is back in the guild: nothing is purged. False when none was pending."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM guild_departures WHERE guild_id = ?", (guild_id,)
            )
            return cursor.rowcount == 1

    async def pending_departures(self) -> set[int]:
        rows = await self._db.fetchall("SELECT guild_id FROM guild_departures")
        return {int(row["guild_id"]) for row in rows}

    async def departures_before(self, instant: datetime) -> list[Departure]:
        """Departures older than `instant`, oldest first."""
        rows = await self._db.fetchall(
            "SELECT guild_id, left_at FROM guild_departures WHERE left_at < ? ORDER BY left_at",
            (to_iso(instant),),
        )
        return [Departure(row["guild_id"], datetime.fromisoformat(row["left_at"])) for row in rows]

    async def guilds_with_data(self) -> set[int]:
        """Every guild anything is stored for."""
        union = " UNION ".join(
            f"SELECT guild_id FROM {table} WHERE guild_id IS NOT NULL" for table in PURGED_TABLES
        )
        return {int(row["guild_id"]) for row in await self._db.fetchall(union)}

    async def purge_guild(self, guild_id: int, left_before: datetime) -> int | None:
        """Delete every row of the guild in one transaction, if it is still pending a purge
        from before `left_before` (a rejoin may have cancelled it meanwhile); returns the rows
        deleted (cascaded child rows not counted), or None when there was nothing to do."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT 1 FROM guild_departures WHERE guild_id = ? AND left_at < ?",
                (guild_id, to_iso(left_before)),
            )
            if await cursor.fetchone() is None:
                return None
            deleted = 0
            for table in PURGED_TABLES:
                cursor = await conn.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
                deleted += max(cursor.rowcount, 0)
        return deleted
