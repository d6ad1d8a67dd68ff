-- 0 once either member said no to AI notes for the session: its thread text is not sent.
ALTER TABLE peer_sessions ADD COLUMN ai_notes INTEGER NOT NULL DEFAULT 1
    CHECK (ai_notes IN (0, 1));
