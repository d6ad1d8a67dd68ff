-- Peer mock sessions: a per-guild queue, matched sessions in private threads, reminders sent once,
-- and the feedback each member gives the other.

CREATE TABLE peer_settings (
    guild_id INTEGER PRIMARY KEY,
    -- Where session threads are opened; NULL means the channel where the second member joined.
    channel_id INTEGER,
    expiry_minutes INTEGER NOT NULL DEFAULT 60 CHECK (expiry_minutes BETWEEN 5 AND 1440),
    no_show_minutes INTEGER NOT NULL DEFAULT 10 CHECK (no_show_minutes BETWEEN 2 AND 120),
    updated_at TEXT NOT NULL
);

CREATE TABLE peer_sessions (
    session_id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    round TEXT NOT NULL,
    first_user_id INTEGER NOT NULL,
    second_user_id INTEGER NOT NULL,
    first_level TEXT,
    second_level TEXT,
    question_1 TEXT NOT NULL,
    question_2 TEXT,
    channel_id INTEGER NOT NULL,
    thread_id INTEGER,
    status TEXT NOT NULL DEFAULT 'opening'
        CHECK (status IN ('opening', 'active', 'ended', 'no_show', 'cancelled')),
    half INTEGER NOT NULL DEFAULT 1 CHECK (half IN (1, 2)),
    starts_at TEXT NOT NULL,
    half_started_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    ended_at TEXT,
    first_seen_at TEXT,
    second_seen_at TEXT,
    no_show_user_id INTEGER,
    CHECK (first_user_id <> second_user_id)
);
CREATE INDEX peer_sessions_by_status ON peer_sessions (status);
CREATE INDEX peer_sessions_by_first ON peer_sessions (guild_id, first_user_id, created_at);
CREATE INDEX peer_sessions_by_second ON peer_sessions (guild_id, second_user_id, created_at);
CREATE UNIQUE INDEX peer_sessions_by_thread ON peer_sessions (thread_id) WHERE thread_id IS NOT NULL;

CREATE TABLE peer_queue (
    entry_id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    round TEXT NOT NULL,
    level TEXT,
    channel_id INTEGER NOT NULL,
    joined_at TEXT NOT NULL,
    earliest TEXT NOT NULL,
    latest TEXT NOT NULL,
    windowed INTEGER NOT NULL CHECK (windowed IN (0, 1)),
    front INTEGER NOT NULL DEFAULT 0 CHECK (front IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'matched', 'left', 'expired')),
    session_id INTEGER REFERENCES peer_sessions (session_id) ON DELETE SET NULL,
    closed_at TEXT
);
-- One waiting entry per member and guild: what makes a double `/peer join` harmless.
CREATE UNIQUE INDEX peer_queue_one_waiting ON peer_queue (guild_id, user_id)
    WHERE status = 'waiting';
CREATE INDEX peer_queue_waiting ON peer_queue (status, latest);

-- A reminder is claimed before it is sent, so a sweep running twice sends it once.
CREATE TABLE peer_nudges (
    session_id INTEGER NOT NULL REFERENCES peer_sessions (session_id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (session_id, key)
);

CREATE TABLE peer_feedback (
    session_id INTEGER NOT NULL REFERENCES peer_sessions (session_id) ON DELETE CASCADE,
    giver_id INTEGER NOT NULL,
    receiver_id INTEGER NOT NULL,
    guild_id INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    scores_json TEXT NOT NULL,
    went_well TEXT NOT NULL,
    to_improve TEXT NOT NULL,
    created_at TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0 CHECK (delivered IN (0, 1)),
    -- One form per member per session.
    PRIMARY KEY (session_id, giver_id)
);
CREATE INDEX peer_feedback_undelivered ON peer_feedback (guild_id, receiver_id)
    WHERE delivered = 0;
