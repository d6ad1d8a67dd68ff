-- Questions a guild adds itself, and bundled questions a guild switched off.

CREATE TABLE custom_questions (
    guild_id BIGINT NOT NULL,
    question_id TEXT NOT NULL,
    round TEXT NOT NULL,
    difficulty TEXT NOT NULL,
    body_json TEXT NOT NULL,
    added_by BIGINT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, question_id)
);

CREATE TABLE disabled_questions (
    guild_id BIGINT NOT NULL,
    question_id TEXT NOT NULL,
    disabled_by BIGINT NOT NULL,
    disabled_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, question_id)
);
