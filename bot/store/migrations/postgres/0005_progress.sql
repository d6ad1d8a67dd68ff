-- Progress: leaderboard totals kept on write, streak freezes and restores, settings, audit,
-- milestone roles and monthly seasons.

-- Points per member per period, maintained by triggers on the `points` ledger so every writer
-- (answers, mock rounds, peer sessions, deletions) keeps them right without knowing about them.
-- period: 'all', 'w2026-11-23' (the Monday of the guild-local week), 'm2026-11' (a season).
-- round: '' for all rounds together. hidden mirrors members.hidden for the ranking index.
CREATE TABLE points_totals (
    guild_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    round TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    points BIGINT NOT NULL,
    hidden BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, period, round, user_id)
);
CREATE INDEX points_totals_ranking
    ON points_totals (guild_id, period, round, hidden, points DESC, user_id);
CREATE INDEX points_totals_by_member ON points_totals (guild_id, user_id);

-- A member's ledger by day: the daily cap and streaks read it.
CREATE INDEX points_by_member_day ON points (guild_id, user_id, local_date);
-- A member's answers: progress, charts and practice picks read them.
CREATE INDEX answers_by_member ON answers (guild_id, user_id, submitted_at);

-- SQLite's 'w' || date(d, '-6 days', 'weekday 1'): the Monday on or before the local date.
CREATE FUNCTION points_week(day TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT 'w' || to_char(date_trunc('week', day::date), 'YYYY-MM-DD')
$$;

CREATE FUNCTION points_totals_add(
    p_guild BIGINT, p_user BIGINT, p_round TEXT, p_amount BIGINT, p_day TEXT
) RETURNS void LANGUAGE sql AS $$
    INSERT INTO points_totals (guild_id, period, round, user_id, points, hidden)
    SELECT p_guild, p.period, r.round, p_user, p_amount,
        COALESCE((SELECT m.hidden FROM members AS m
                  WHERE m.guild_id = p_guild AND m.user_id = p_user), 0)
    FROM (VALUES ('all'), (points_week(p_day)), ('m' || substr(p_day, 1, 7))) AS p (period)
    CROSS JOIN (SELECT '' AS round UNION ALL SELECT p_round WHERE p_round IS NOT NULL) AS r
    ON CONFLICT (guild_id, period, round, user_id)
    DO UPDATE SET points = points_totals.points + excluded.points;
$$;

CREATE FUNCTION points_totals_subtract(
    p_guild BIGINT, p_user BIGINT, p_round TEXT, p_amount BIGINT, p_day TEXT
) RETURNS void LANGUAGE sql AS $$
    UPDATE points_totals SET points = points - p_amount
    WHERE guild_id = p_guild AND user_id = p_user
      AND period IN ('all', points_week(p_day), 'm' || substr(p_day, 1, 7))
      AND round IN ('', COALESCE(p_round, ''));
$$;

CREATE FUNCTION points_totals_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM points_totals_add(NEW.guild_id, NEW.user_id, NEW.round, NEW.amount, NEW.local_date);
    RETURN NULL;
END
$$;
CREATE TRIGGER points_totals_insert AFTER INSERT ON points
    FOR EACH ROW EXECUTE FUNCTION points_totals_insert();

CREATE FUNCTION points_totals_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM points_totals_subtract(
        OLD.guild_id, OLD.user_id, OLD.round, OLD.amount, OLD.local_date);
    PERFORM points_totals_add(NEW.guild_id, NEW.user_id, NEW.round, NEW.amount, NEW.local_date);
    RETURN NULL;
END
$$;
CREATE TRIGGER points_totals_update
    AFTER UPDATE OF guild_id, user_id, round, amount, local_date ON points
    FOR EACH ROW EXECUTE FUNCTION points_totals_update();

CREATE FUNCTION points_totals_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM points_totals_subtract(
        OLD.guild_id, OLD.user_id, OLD.round, OLD.amount, OLD.local_date);
    -- A member whose data was deleted leaves no empty rows behind.
    DELETE FROM points_totals
    WHERE guild_id = OLD.guild_id AND user_id = OLD.user_id AND points = 0;
    RETURN NULL;
END
$$;
CREATE TRIGGER points_totals_delete AFTER DELETE ON points
    FOR EACH ROW EXECUTE FUNCTION points_totals_delete();

CREATE FUNCTION points_totals_hide() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE points_totals SET hidden = NEW.hidden
    WHERE guild_id = NEW.guild_id AND user_id = NEW.user_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER points_totals_hide AFTER UPDATE OF hidden ON members
    FOR EACH ROW EXECUTE FUNCTION points_totals_hide();
CREATE TRIGGER points_totals_hide_new AFTER INSERT ON members
    FOR EACH ROW WHEN (NEW.hidden = 1) EXECUTE FUNCTION points_totals_hide();

-- Points earned before this migration.
WITH ledger AS (
    SELECT p.guild_id, p.user_id, p.amount, p.round, COALESCE(m.hidden, 0) AS hidden,
        points_week(p.local_date) AS week,
        'm' || substr(p.local_date, 1, 7) AS month
    FROM points AS p
    LEFT JOIN members AS m ON m.guild_id = p.guild_id AND m.user_id = p.user_id
), keyed AS (
    SELECT guild_id, 'all' AS period, '' AS round, user_id, amount, hidden FROM ledger
    UNION ALL SELECT guild_id, week, '', user_id, amount, hidden FROM ledger
    UNION ALL SELECT guild_id, month, '', user_id, amount, hidden FROM ledger
    UNION ALL SELECT guild_id, 'all', round, user_id, amount, hidden FROM ledger
        WHERE round IS NOT NULL
    UNION ALL SELECT guild_id, week, round, user_id, amount, hidden FROM ledger
        WHERE round IS NOT NULL
    UNION ALL SELECT guild_id, month, round, user_id, amount, hidden FROM ledger
        WHERE round IS NOT NULL
)
INSERT INTO points_totals (guild_id, period, round, user_id, points, hidden)
SELECT guild_id, period, round, user_id, SUM(amount), MAX(hidden)
FROM keyed
GROUP BY guild_id, period, round, user_id;

-- Days an admin restored in a member's streak (freezes need no rows: they follow from the days
-- worked and the weekly allowance).
CREATE TABLE streak_restores (
    guild_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    local_date TEXT NOT NULL,
    restored_by BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, local_date)
);

-- Admin settings for streaks and milestone roles; a missing row means the defaults.
CREATE TABLE progress_settings (
    guild_id BIGINT PRIMARY KEY,
    freezes_per_week BIGINT NOT NULL DEFAULT 1 CHECK (freezes_per_week BETWEEN 0 AND 3),
    streak7_role_id BIGINT,
    streak30_role_id BIGINT,
    top3_role_id BIGINT,
    updated_by BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Who changed what: restores and settings.
CREATE TABLE progress_audit (
    audit_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    guild_id BIGINT NOT NULL,
    actor_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    target_id BIGINT,
    detail_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX progress_audit_by_guild ON progress_audit (guild_id, created_at);

-- A milestone role is given once per member and milestone ('streak7', 'streak30').
CREATE TABLE milestone_grants (
    guild_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    milestone TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, milestone)
);

-- A closed month's top three (ties share a place), settled once; an empty month leaves a row
-- with place 0 and user 0.
CREATE TABLE season_awards (
    guild_id BIGINT NOT NULL,
    season TEXT NOT NULL,
    place BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    points BIGINT NOT NULL,
    awarded_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, season, user_id)
);

-- A resubmitted practice answer replaces the member's earlier one to the same question.
CREATE UNIQUE INDEX answers_one_practice ON answers (guild_id, user_id, question_id)
    WHERE source = 'practice';
