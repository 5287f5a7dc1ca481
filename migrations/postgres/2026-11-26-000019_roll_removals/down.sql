DROP TABLE roll_removals;
DROP FUNCTION minyi_guard_roll_removals();
