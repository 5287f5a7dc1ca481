-- Minutes name who chaired the meeting (主持人) and who recorded it (记录人), as ids and as the
-- names they bore when the minutes were written: a later rename never alters signed minutes.
-- The names are also in the minutes' text, which the signatures and the hash cover. Minutes
-- written before this change have none (NULL), and are never backfilled.
ALTER TABLE minutes ADD COLUMN chair_id BIGINT REFERENCES staff(id);
ALTER TABLE minutes ADD COLUMN chair_name TEXT;
ALTER TABLE minutes ADD COLUMN recorder_id BIGINT REFERENCES staff(id);
ALTER TABLE minutes ADD COLUMN recorder_name TEXT;
