-- A member pressed Clarify on a daily post (one row, however often): the grader of their answer
-- is told they asked for the question's clarifications.
CREATE TABLE clarify_uses (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    post_id INTEGER NOT NULL REFERENCES daily_posts (post_id) ON DELETE CASCADE,
    used_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, post_id)
);
