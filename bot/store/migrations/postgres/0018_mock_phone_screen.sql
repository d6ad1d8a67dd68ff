-- A phone screen: a 60-minute coding round of two questions. The first is question_id; this is
-- the second (NULL for a round of one question). Its part of the transcript starts at the turn
-- whose source is 'second_question'.
ALTER TABLE mock_rounds ADD COLUMN second_question_id TEXT;
