-- A member's own totals (their rank card, /rank and the web progress page) read from one index
-- that holds every column they need. With only (guild_id, user_id), SQLite chose the covering
-- ranking index for `guild_id = ? AND user_id = ? AND period IN (...)` and walked every member of
-- those periods (70 ms at 100,000 members). This index has (guild_id, user_id) as its prefix, so
-- it replaces points_totals_by_member.
CREATE INDEX points_totals_member_periods
    ON points_totals (guild_id, user_id, period, round, points, hidden);
DROP INDEX points_totals_by_member;
