-- Progress: leaderboard totals kept on write, streak freezes and restores, settings, audit,
-- milestone roles and monthly seasons.

-- Points per member per period, maintained by triggers on the `points` ledger so every writer
-- (answers, mock rounds, peer sessions, deletions) keeps them right without knowing about them.
-- period: 'all', 'w2026-11-23' (the Monday of the guild-local week), 'm2026-11' (a season).
-- round: '' for all rounds together. hidden mirrors members.hidden for the ranking index.
CREATE TABLE points_totals (
    guild_id INTEGER NOT NULL,
    period TEXT NOT NULL,
    round TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    points INTEGER NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, period, round, user_id)
) WITHOUT ROWID;
CREATE INDEX points_totals_ranking
    ON points_totals (guild_id, period, round, hidden, points DESC, user_id);
CREATE INDEX points_totals_by_member ON points_totals (guild_id, user_id);

-- A member's ledger by day: the daily cap and streaks read it.
CREATE INDEX points_by_member_day ON points (guild_id, user_id, local_date);
-- A member's answers: progress, charts and practice picks read them.
CREATE INDEX answers_by_member ON answers (guild_id, user_id, submitted_at);

CREATE TRIGGER points_totals_insert AFTER INSERT ON points BEGIN
    INSERT INTO points_totals (guild_id, period, round, user_id, points, hidden)
    SELECT NEW.guild_id, p.period, r.round, NEW.user_id, NEW.amount,
        COALESCE((SELECT hidden FROM members
                  WHERE guild_id = NEW.guild_id AND user_id = NEW.user_id), 0)
    FROM (SELECT 'all' AS period
          UNION ALL SELECT 'w' || date(NEW.local_date, '-6 days', 'weekday 1')
          UNION ALL SELECT 'm' || substr(NEW.local_date, 1, 7)) AS p
    CROSS JOIN (SELECT '' AS round UNION ALL SELECT NEW.round WHERE NEW.round IS NOT NULL) AS r
    WHERE 1
    ON CONFLICT (guild_id, period, round, user_id) DO UPDATE SET points = points + excluded.points;
END;

CREATE TRIGGER points_totals_update
AFTER UPDATE OF guild_id, user_id, round, amount, local_date ON points BEGIN
    UPDATE points_totals SET points = points - OLD.amount
    WHERE guild_id = OLD.guild_id AND user_id = OLD.user_id
      AND period IN ('all', 'w' || date(OLD.local_date, '-6 days', 'weekday 1'),
                     'm' || substr(OLD.local_date, 1, 7))
      AND round IN ('', COALESCE(OLD.round, ''));
    INSERT INTO points_totals (guild_id, period, round, user_id, points, hidden)
    SELECT NEW.guild_id, p.period, r.round, NEW.user_id, NEW.amount,
        COALESCE((SELECT hidden FROM members
                  WHERE guild_id = NEW.guild_id AND user_id = NEW.user_id), 0)
    FROM (SELECT 'all' AS period
          UNION ALL SELECT 'w' || date(NEW.local_date, '-6 days', 'weekday 1')
          UNION ALL SELECT 'm' || substr(NEW.local_date, 1, 7)) AS p
    CROSS JOIN (SELECT '' AS round UNION ALL SELECT NEW.round WHERE NEW.round IS NOT NULL) AS r
    WHERE 1
    ON CONFLICT (guild_id, period, round, user_id) DO UPDATE SET points = points + excluded.points;
END;

CREATE TRIGGER points_totals_delete AFTER DELETE ON points BEGIN
    UPDATE points_totals SET points = points - OLD.amount
    WHERE guild_id = OLD.guild_id AND user_id = OLD.user_id
      AND period IN ('all', 'w' || date(OLD.local_date, '-6 days', 'weekday 1'),
                     'm' || substr(OLD.local_date, 1, 7))
      AND round IN ('', COALESCE(OLD.round, ''));
    -- A member whose data was deleted leaves no empty rows behind.
    DELETE FROM points_totals
    WHERE guild_id = OLD.guild_id AND user_id = OLD.user_id AND points = 0;
END;

CREATE TRIGGER points_totals_hide AFTER UPDATE OF hidden ON members BEGIN
    UPDATE points_totals SET hidden = NEW.hidden
    WHERE guild_id = NEW.guild_id AND user_id = NEW.user_id;
END;

CREATE TRIGGER points_totals_hide_new AFTER INSERT ON members WHEN NEW.hidden = 1 BEGIN
    UPDATE points_totals SET hidden = 1
    WHERE guild_id = NEW.guild_id AND user_id = NEW.user_id;
END;

-- Points earned before this migration.
WITH ledger AS (
    SELECT p.guild_id, p.user_id, p.amount, p.round, COALESCE(m.hidden, 0) AS hidden,
        'w' || date(p.local_date, '-6 days', 'weekday 1') AS week,
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
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    local_date TEXT NOT NULL,
    restored_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, local_date)
) WITHOUT ROWID;

-- Admin settings for streaks and milestone roles; a missing row means the defaults.
CREATE TABLE progress_settings (
    guild_id INTEGER PRIMARY KEY,
    freezes_per_week INTEGER NOT NULL DEFAULT 1 CHECK (freezes_per_week BETWEEN 0 AND 3),
    streak7_role_id INTEGER,
    streak30_role_id INTEGER,
    top3_role_id INTEGER,
    updated_by INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- Who changed what: restores and settings.
CREATE TABLE progress_audit (
    audit_id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    actor_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    target_id INTEGER,
    detail_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX progress_audit_by_guild ON progress_audit (guild_id, created_at);

-- A milestone role is given once per member and milestone ('streak7', 'streak30').
CREATE TABLE milestone_grants (
    guild_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    milestone TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id, milestone)
);

-- A closed month's top three (ties share a place), settled once; an empty month leaves a row
-- with place 0 and user 0.
CREATE TABLE season_awards (
    guild_id INTEGER NOT NULL,
    season TEXT NOT NULL,
    place INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    points INTEGER NOT NULL,
    awarded_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, season, user_id)
);

-- A resubmitted practice answer replaces the member's earlier one to the same question.
CREATE UNIQUE INDEX answers_one_practice ON answers (guild_id, user_id, question_id)
    WHERE source = 'practice';
