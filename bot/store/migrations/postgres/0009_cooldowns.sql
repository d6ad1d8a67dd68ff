-- Per-guild cooldown settings (seconds per kind of action); a kind with no row uses its default.
CREATE TABLE cooldowns (
    guild_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    seconds BIGINT NOT NULL CHECK (seconds BETWEEN 0 AND 3600),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, kind)
);
