-- Grading operations: every LLM call's usage, per-guild cost limits, retry bookkeeping.

-- One row per Claude response (any stop reason), so spend is known even for unusable output.
-- guild_id/user_id are NULL for calls made outside a member's action (the CLI, an unscoped call).
CREATE TABLE llm_usage (
    usage_id INTEGER PRIMARY KEY,
    guild_id INTEGER,
    user_id INTEGER,
    operation TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    stop_reason TEXT,
    input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
    output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
    cache_read_tokens INTEGER NOT NULL CHECK (cache_read_tokens >= 0),
    cache_write_tokens INTEGER NOT NULL CHECK (cache_write_tokens >= 0),
    created_at TEXT NOT NULL
);
CREATE INDEX llm_usage_by_guild ON llm_usage (guild_id, created_at);

-- Admin-set limits; a missing row or NULL column means the bot's default.
CREATE TABLE grading_limits (
    guild_id INTEGER PRIMARY KEY,
    member_daily_answers INTEGER CHECK (member_daily_answers >= 0),
    guild_daily_tokens INTEGER CHECK (guild_daily_tokens >= 0),
    updated_by INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- Failed grading attempts of the current revision, for the retry backoff and the give-up point.
ALTER TABLE answers ADD COLUMN grade_attempts INTEGER NOT NULL DEFAULT 0;

-- Why a grade came from the offline grader instead of Claude (member_limit, guild_budget,
-- claude_refused, claude_unavailable); NULL for an ordinary grade.
ALTER TABLE grades ADD COLUMN fallback TEXT;
CREATE INDEX grades_by_time ON grades (created_at);
