-- Privacy: the one-time notices a member has seen, and the guilds the bot left (purged once the
-- retention has passed). Times are ISO-8601 UTC strings.

-- A notice is shown once per member and guild ('ai_grading': answers are sent to Anthropic).
CREATE TABLE member_notices (
    guild_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    notice TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, notice)
);

-- When the bot was removed from a guild. Rejoining deletes the row; past the retention the
-- guild's data is purged and the row with it.
CREATE TABLE guild_departures (
    guild_id BIGINT PRIMARY KEY,
    left_at TEXT NOT NULL
);
CREATE INDEX guild_departures_by_time ON guild_departures (left_at);
