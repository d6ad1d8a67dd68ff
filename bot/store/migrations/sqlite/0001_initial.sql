-- Foundation: settings per guild, daily posts claimed once per local date, answers, grades, points.
-- Times are ISO-8601 UTC strings ("2026-11-26T09:00:00+00:00"); local dates are "YYYY-MM-DD".

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE guilds (
    guild_id INTEGER PRIMARY KEY,
    channel_id INTEGER,
    post_time TEXT,
    timezone TEXT,
    ping_role_id INTEGER,
    paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    rotation TEXT,
    config_channel_id INTEGER,
    schedule_changed_at TEXT,
    last_error TEXT,
    last_error_at TEXT,
    last_warning TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE daily_posts (
    post_id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL REFERENCES guilds (guild_id) ON DELETE CASCADE,
    local_date TEXT NOT NULL,
    question_id TEXT NOT NULL,
    round TEXT NOT NULL,
    channel_id INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'posted', 'failed')),
    message_id INTEGER,
    thread_id INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_at TEXT NOT NULL,
    posted_at TEXT,
    revealed_at TEXT,
    -- What makes a daily post happen once per guild-local date, whatever fires twice.
    UNIQUE (guild_id, local_date)
);
CREATE INDEX daily_posts_by_question ON daily_posts (guild_id, question_id);
CREATE UNIQUE INDEX daily_posts_by_message ON daily_posts (message_id) WHERE message_id IS NOT NULL;

CREATE TABLE answers (
    answer_id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    post_id INTEGER REFERENCES daily_posts (post_id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('daily', 'practice')),
    content TEXT NOT NULL,
    locale TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'graded', 'delayed')),
    local_date TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    retry_after TEXT,
    delivered INTEGER NOT NULL DEFAULT 0 CHECK (delivered IN (0, 1))
);
-- A resubmission replaces the member's answer to the same daily post.
CREATE UNIQUE INDEX answers_one_per_post ON answers (guild_id, user_id, post_id)
    WHERE post_id IS NOT NULL;
CREATE INDEX answers_pending ON answers (status, retry_after);

CREATE TABLE grades (
    grade_id INTEGER PRIMARY KEY,
    answer_id INTEGER NOT NULL REFERENCES answers (answer_id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    overall REAL NOT NULL,
    max_score INTEGER NOT NULL,
    grader TEXT NOT NULL,
    model TEXT,
    prompt_version TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX grades_by_answer ON grades (answer_id, revision);

CREATE TABLE hint_uses (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    post_id INTEGER NOT NULL REFERENCES daily_posts (post_id) ON DELETE CASCADE,
    hint_index INTEGER NOT NULL,
    used_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, post_id, hint_index)
);

-- One row per thing that earns points; a re-graded answer updates its row instead of adding one.
CREATE TABLE points (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    round TEXT,
    amount INTEGER NOT NULL,
    local_date TEXT NOT NULL,
    earned_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, kind, ref)
);
CREATE INDEX points_by_time ON points (guild_id, earned_at);

CREATE TABLE members (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    display_name TEXT NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    PRIMARY KEY (guild_id, user_id)
);
