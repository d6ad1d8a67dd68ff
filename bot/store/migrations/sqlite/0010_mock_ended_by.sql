-- Who ended a mock round with /mock end: the candidate or an admin (NULL when the round closed by
-- itself). The scorecard names an admin who ended someone else's round.
ALTER TABLE mock_rounds ADD COLUMN ended_by INTEGER;
