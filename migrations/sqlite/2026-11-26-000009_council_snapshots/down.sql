DROP TRIGGER votes_only_while_open;
DROP TRIGGER votes_never_updated;
DROP TABLE meeting_roll;
DROP TABLE motion_tallies;
DROP TABLE motion_roll;
