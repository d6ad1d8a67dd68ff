-- A member's rank without counting the members above them one by one: how many visible members
-- have each points value, per guild, period and round. Triggers keep it from `points_totals`
-- (which the ledger's triggers keep), so every writer (answers, regrades, opt-outs, deletions,
-- purges) keeps it exact without knowing about it. A rank is 1 + the members on higher values:
-- a few hundred rows to add up, where counting took one row per member above.
CREATE TABLE points_counts (
    guild_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    round TEXT NOT NULL,
    points BIGINT NOT NULL,
    members BIGINT NOT NULL,
    PRIMARY KEY (guild_id, period, round, points)
);

-- Many transactions share a count row (every member on 40 points this week), and one
-- transaction may change its totals in several statements (an award, then its streak bonus). Had
-- each statement updated the counts at once, two transactions could each hold a row the other
-- waits for. So the changes are gathered in the transaction's own setting `bot.points_counts`
-- (a JSON list of {g: guild, p: period, r: round, v: points, n: change in members}, net per
-- value) and applied once, at commit, in one statement in key order: every transaction takes its
-- count rows in the same order and holds no other count row meanwhile, so none waits in a circle.
CREATE FUNCTION points_counts_stage(changes JSONB) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('bot.points_counts', COALESCE((
        SELECT jsonb_agg(jsonb_build_object('g', g, 'p', p, 'r', r, 'v', v, 'n', n))::TEXT
        FROM (
            SELECT c.g, c.p, c.r, c.v, SUM(c.n) AS n
            FROM jsonb_to_recordset(
                COALESCE(NULLIF(current_setting('bot.points_counts', true), ''), '[]')::JSONB
                || changes
            ) AS c (g BIGINT, p TEXT, r TEXT, v BIGINT, n BIGINT)
            GROUP BY c.g, c.p, c.r, c.v
            HAVING SUM(c.n) <> 0
        ) AS net
    ), ''), true);
END
$$;

-- Statement-level, with the rows the statement changed: one staging per statement.
CREATE FUNCTION points_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes JSONB;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object(
            'g', guild_id, 'p', period, 'r', round, 'v', points, 'n', 1))
        INTO changes FROM new_rows WHERE hidden = 0;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT jsonb_agg(jsonb_build_object(
            'g', c.guild_id, 'p', c.period, 'r', c.round, 'v', c.points, 'n', c.n))
        INTO changes
        FROM (
            SELECT guild_id, period, round, points, -1 AS n FROM old_rows WHERE hidden = 0
            UNION ALL
            SELECT guild_id, period, round, points, 1 AS n FROM new_rows WHERE hidden = 0
        ) AS c;
    ELSE
        SELECT jsonb_agg(jsonb_build_object(
            'g', guild_id, 'p', period, 'r', round, 'v', points, 'n', -1))
        INTO changes FROM old_rows WHERE hidden = 0;
    END IF;
    IF changes IS NOT NULL THEN
        PERFORM points_counts_stage(changes);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER points_counts_insert AFTER INSERT ON points_totals
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION points_counts_changed();
CREATE TRIGGER points_counts_update AFTER UPDATE ON points_totals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION points_counts_changed();
CREATE TRIGGER points_counts_delete AFTER DELETE ON points_totals
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION points_counts_changed();

-- At commit (deferred, fired for each totals row changed: the first applies everything staged,
-- the others find nothing left).
CREATE FUNCTION points_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    staged TEXT := current_setting('bot.points_counts', true);
BEGIN
    IF staged IS NULL OR staged = '' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('bot.points_counts', '', true);
    INSERT INTO points_counts AS c (guild_id, period, round, points, members)
    SELECT s.g, s.p, s.r, s.v, s.n
    FROM jsonb_to_recordset(staged::JSONB) AS s (g BIGINT, p TEXT, r TEXT, v BIGINT, n BIGINT)
    ORDER BY s.g, s.p, s.r, s.v
    ON CONFLICT (guild_id, period, round, points)
    DO UPDATE SET members = c.members + excluded.members;
    -- No value is kept that nobody has (nor one a guild's purge deleted before this commit).
    DELETE FROM points_counts AS c
    USING jsonb_to_recordset(staged::JSONB) AS s (g BIGINT, p TEXT, r TEXT, v BIGINT, n BIGINT)
    WHERE c.guild_id = s.g AND c.period = s.p AND c.round = s.r AND c.points = s.v
      AND c.members <= 0;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER points_counts_apply AFTER INSERT OR UPDATE OR DELETE ON points_totals
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION points_counts_apply();

-- The totals kept before this migration.
INSERT INTO points_counts (guild_id, period, round, points, members)
SELECT guild_id, period, round, points, COUNT(*)
FROM points_totals
WHERE hidden = 0
GROUP BY guild_id, period, round, points;
