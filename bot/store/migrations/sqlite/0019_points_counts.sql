-- A member's rank without counting the members above them one by one: how many visible members
-- have each points value, per guild, period and round. Triggers keep it from `points_totals`
-- (which the ledger's triggers keep), so every writer (answers, regrades, opt-outs, deletions,
-- purges) keeps it exact without knowing about it. A rank is 1 + the members on higher values:
-- a few hundred rows to add up, where counting took one row per member above.
CREATE TABLE points_counts (
    guild_id INTEGER NOT NULL,
    period TEXT NOT NULL,
    round TEXT NOT NULL,
    points INTEGER NOT NULL,
    members INTEGER NOT NULL,
    PRIMARY KEY (guild_id, period, round, points)
) WITHOUT ROWID;

CREATE TRIGGER points_counts_insert AFTER INSERT ON points_totals WHEN NEW.hidden = 0 BEGIN
    INSERT INTO points_counts (guild_id, period, round, points, members)
    VALUES (NEW.guild_id, NEW.period, NEW.round, NEW.points, 1)
    ON CONFLICT (guild_id, period, round, points) DO UPDATE SET members = members + 1;
END;

CREATE TRIGGER points_counts_delete AFTER DELETE ON points_totals WHEN OLD.hidden = 0 BEGIN
    UPDATE points_counts SET members = members - 1
    WHERE guild_id = OLD.guild_id AND period = OLD.period AND round = OLD.round
      AND points = OLD.points;
    -- No value is kept that nobody has.
    DELETE FROM points_counts
    WHERE guild_id = OLD.guild_id AND period = OLD.period AND round = OLD.round
      AND points = OLD.points AND members = 0;
END;

-- A member's points changing, or the member hiding or showing again: off the old value (if they
-- were visible), onto the new one (if they are).
CREATE TRIGGER points_counts_update AFTER UPDATE ON points_totals
WHEN OLD.points <> NEW.points OR OLD.hidden <> NEW.hidden OR OLD.guild_id <> NEW.guild_id
    OR OLD.period <> NEW.period OR OLD.round <> NEW.round
BEGIN
    UPDATE points_counts SET members = members - 1
    WHERE OLD.hidden = 0 AND guild_id = OLD.guild_id AND period = OLD.period
      AND round = OLD.round AND points = OLD.points;
    DELETE FROM points_counts
    WHERE OLD.hidden = 0 AND guild_id = OLD.guild_id AND period = OLD.period
      AND round = OLD.round AND points = OLD.points AND members = 0;
    INSERT INTO points_counts (guild_id, period, round, points, members)
    SELECT NEW.guild_id, NEW.period, NEW.round, NEW.points, 1 WHERE NEW.hidden = 0
    ON CONFLICT (guild_id, period, round, points) DO UPDATE SET members = members + 1;
END;

-- The totals kept before this migration.
INSERT INTO points_counts (guild_id, period, round, points, members)
SELECT guild_id, period, round, points, COUNT(*)
FROM points_totals
WHERE hidden = 0
GROUP BY guild_id, period, round, points;
