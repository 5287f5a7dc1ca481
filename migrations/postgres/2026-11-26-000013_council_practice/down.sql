DROP TABLE attendance_changes;
DROP TABLE minute_refusals;
DROP FUNCTION minyi_guard_minute_refusals();
ALTER TABLE meetings DROP COLUMN agenda;
