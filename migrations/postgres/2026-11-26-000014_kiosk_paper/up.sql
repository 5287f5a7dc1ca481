-- At most one collection round per village is open at a time: households see one round, and
-- a second open round would hide the first. Kept by the database, whatever the application does.
CREATE UNIQUE INDEX collection_rounds_one_open_per_village
    ON collection_rounds (village_id) WHERE state = 'open';
