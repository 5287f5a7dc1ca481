DROP TABLE round_category_tallies;
DROP TABLE round_group_tallies;
DROP FUNCTION minyi_guard_round_tallies();
