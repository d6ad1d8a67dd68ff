"""The SQL of `/privacy`, one statement per section: what an export reads, what a deletion
does, and what makes a deletion wait. ?1 is always the guild id and ?2 the member's id."""

from __future__ import annotations

from bot.store.privacy_coverage import MEMBER_COLUMNS

# Each export section: its columns and its rows, ?1 being the guild id and ?2 the member's id.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "member",
        "display_name, hidden, share_answers, share_progress",
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
        "clarifications_asked",
        "post_id, used_at",
        "FROM clarify_uses WHERE guild_id = ?1 AND user_id = ?2 ORDER BY used_at",
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
EXPORT_SECTIONS = tuple(name for name, _, _ in SECTIONS)

# Child rows exported inside their parent's rows: (section, key, joining column, query).
NESTED: tuple[tuple[str, str, str, str], ...] = (
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
DELETE_MEMBER: tuple[tuple[str, str], ...] = (
    ("answers", "DELETE FROM answers WHERE guild_id = ?1 AND user_id = ?2"),
    ("hints_used", "DELETE FROM hint_uses WHERE guild_id = ?1 AND user_id = ?2"),
    ("clarifications_asked", "DELETE FROM clarify_uses WHERE guild_id = ?1 AND user_id = ?2"),
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
BUSY_CHECKS: tuple[tuple[str, str], ...] = (
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

# Every guild where some column names the member (for requests from outside Discord).
MEMBER_GUILDS = " UNION ".join(
    f"SELECT guild_id FROM {table} WHERE {column} = ?1" for table, column in sorted(MEMBER_COLUMNS)
)
