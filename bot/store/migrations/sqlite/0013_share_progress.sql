-- Members who let other members see their grades per round, weakest themes and chart on /rank
-- (points, rank and streak are on the boards anyway).
ALTER TABLE members ADD COLUMN share_progress INTEGER NOT NULL DEFAULT 0
    CHECK (share_progress IN (0, 1));
