DROP TABLE roll_removals;
