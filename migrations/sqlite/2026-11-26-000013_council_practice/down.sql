DROP TABLE minute_refusals;
ALTER TABLE meetings DROP COLUMN agenda;
