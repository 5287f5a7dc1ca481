DROP TABLE attendance_changes;
DROP TABLE minute_refusals;
ALTER TABLE meetings DROP COLUMN agenda;
