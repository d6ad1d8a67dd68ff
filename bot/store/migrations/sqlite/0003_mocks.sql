-- Mock interview rounds with the AI interviewer: rounds, their turns, timed nudges, onsite loops,
-- and per-guild limits. Times are ISO-8601 UTC strings; local dates are "YYYY-MM-DD".

CREATE TABLE mock_loops (
    loop_id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    track TEXT NOT NULL CHECK (track IN ('swe', 'ml')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'complete', 'abandoned')),
    decision TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT
);
-- One loop in progress per member.
CREATE UNIQUE INDEX mock_loops_one_active ON mock_loops (guild_id, user_id)
    WHERE status = 'active';

CREATE TABLE mock_rounds (
    round_id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    thread_id INTEGER,
    question_id TEXT NOT NULL,
    round TEXT NOT NULL,
    difficulty TEXT NOT NULL,
    time_box_minutes INTEGER NOT NULL,
    locale TEXT,
    loop_id INTEGER REFERENCES mock_loops (loop_id) ON DELETE CASCADE,
    loop_position INTEGER,
    -- opening: claimed, thread not yet there; active: turns accepted; scoring: closed, the
    -- scorecard is being written (or retried); closed: scored; abandoned: closed unscored.
    status TEXT NOT NULL DEFAULT 'opening'
        CHECK (status IN ('opening', 'active', 'scoring', 'closed', 'abandoned')),
    end_reason TEXT,
    local_date TEXT NOT NULL,
    started_at TEXT NOT NULL,
    last_turn_at TEXT NOT NULL,
    ended_at TEXT,
    score_attempts INTEGER NOT NULL DEFAULT 0,
    retry_after TEXT,
    overall REAL,
    max_score INTEGER,
    hiring_signal TEXT,
    grade_json TEXT,
    points INTEGER
);
-- What makes "one active round per member" hold, whatever races.
CREATE UNIQUE INDEX mock_rounds_one_active ON mock_rounds (guild_id, user_id)
    WHERE status IN ('opening', 'active');
CREATE UNIQUE INDEX mock_rounds_by_thread ON mock_rounds (thread_id) WHERE thread_id IS NOT NULL;
CREATE INDEX mock_rounds_by_member ON mock_rounds (guild_id, user_id, local_date);
CREATE INDEX mock_rounds_by_status ON mock_rounds (status);
-- A loop position is taken once; an abandoned round frees it for another try.
CREATE UNIQUE INDEX mock_rounds_loop_slot ON mock_rounds (loop_id, loop_position)
    WHERE loop_id IS NOT NULL AND status != 'abandoned';

CREATE TABLE mock_turns (
    turn_id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES mock_rounds (round_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    speaker TEXT NOT NULL CHECK (speaker IN ('interviewer', 'candidate')),
    content TEXT NOT NULL,
    -- opening, modal, mention, message (candidate); interviewer, fallback (interviewer)
    source TEXT NOT NULL,
    message_id INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (round_id, seq)
);
-- A Discord message becomes a turn once, even when the gateway delivers it twice.
CREATE UNIQUE INDEX mock_turns_by_message ON mock_turns (message_id) WHERE message_id IS NOT NULL;

-- Each timed nudge of a round is sent once, across sweeps and restarts.
CREATE TABLE mock_nudges (
    round_id INTEGER NOT NULL REFERENCES mock_rounds (round_id) ON DELETE CASCADE,
    nudge TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (round_id, nudge)
);

CREATE TABLE mock_settings (
    guild_id INTEGER PRIMARY KEY,
    idle_minutes INTEGER NOT NULL,
    daily_limit INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
