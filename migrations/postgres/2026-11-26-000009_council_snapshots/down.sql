DROP TRIGGER votes_guard ON votes;
DROP TABLE meeting_roll;
DROP TABLE motion_tallies;
DROP TABLE motion_roll;
DROP FUNCTION minyi_council_snapshot_guard();
