-- AI calls admitted against a guild's daily limits, decided and recorded in one transaction, so
-- two calls admitted at once cannot both take the last of a limit. A row's reserved tokens count
-- against the guild's budget until the call's real usage is recorded (then 0); an answer's
-- grading call counts against the member's daily answers. A call that fails is released (its
-- row deleted).
CREATE TABLE llm_admissions (
    admission_id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    user_id INTEGER,
    operation TEXT NOT NULL,
    reserved_tokens INTEGER NOT NULL CHECK (reserved_tokens >= 0),
    counts_as_answer INTEGER NOT NULL CHECK (counts_as_answer IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX llm_admissions_by_guild ON llm_admissions (guild_id, created_at);

-- One row per guild, written by every admission first: it serialises a guild's admissions on
-- PostgreSQL (a row lock until commit) as BEGIN IMMEDIATE does on SQLite.
CREATE TABLE llm_admission_locks (
    guild_id INTEGER PRIMARY KEY,
    admissions INTEGER NOT NULL DEFAULT 0
);
