-- Members who agree that their best answer may be quoted when a daily question is revealed.
ALTER TABLE members ADD COLUMN share_answers BIGINT NOT NULL DEFAULT 0
    CHECK (share_answers IN (0, 1));
