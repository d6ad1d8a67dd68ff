-- The web companion, per guild: whether the board is public at /g/<guild_id>.
CREATE TABLE web_settings (
    guild_id INTEGER PRIMARY KEY,
    public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    -- The server's name when an admin last changed the setting (the web has no gateway).
    guild_name TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
