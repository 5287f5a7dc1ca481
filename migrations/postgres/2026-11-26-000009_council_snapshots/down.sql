DROP TABLE meeting_roll;
DROP TABLE motion_tallies;
DROP TABLE motion_roll;
