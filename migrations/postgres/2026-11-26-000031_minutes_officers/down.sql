ALTER TABLE minutes DROP COLUMN recorder_name;
ALTER TABLE minutes DROP COLUMN recorder_id;
ALTER TABLE minutes DROP COLUMN chair_name;
ALTER TABLE minutes DROP COLUMN chair_id;
