-- AI notes that could not be had when the session ended (the AI overloaded or timing out) wait
-- here for the sweep's retry: which halves (1: the first, 2: the second, 3: both), how many
-- attempts failed, and when to try again. The thread's text is read again from Discord then.
ALTER TABLE peer_sessions ADD COLUMN notes_pending BIGINT NOT NULL DEFAULT 0
    CHECK (notes_pending BETWEEN 0 AND 3);
ALTER TABLE peer_sessions ADD COLUMN notes_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE peer_sessions ADD COLUMN notes_retry_after TEXT;
CREATE INDEX peer_sessions_notes_due ON peer_sessions (notes_retry_after)
    WHERE notes_pending <> 0;
