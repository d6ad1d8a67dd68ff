"""Where every member's data is, for `/privacy`: `MEMBER_COLUMNS` says, for every column that
names a member, where the export puts its rows and what deleting the member does to them; the
coverage test fails when a table gains such a column that is not listed here, so new data cannot
silently escape export and deletion. The other sets place every remaining table."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
    ("clarify_uses", "user_id"): Coverage("clarifications_asked", OnDelete.DELETE),
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
        "points_counts",  # how many members have each points value, kept from points_totals
    }
)
# Not about any guild.
GLOBAL_TABLES = frozenset({"meta"})

# Every table with a guild_id column, in the order a purge deletes them (the summary table first,
# so the points triggers find nothing left to update).
PURGED_TABLES = (
    "points_totals",
    "points_counts",
    "points",
    "hint_uses",
    "clarify_uses",
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
