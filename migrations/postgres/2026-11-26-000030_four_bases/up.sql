-- A fourth decision base (issue 9): `yes_no_abstain`, the votes cast counting abstentions, beside
-- `votes_cast` (yes + no only, the meaning that value has had since the first motion). Only
-- the CHECK constraints widen; no row changes. The motions' guards are recreated unchanged so
-- both backends' migrations create the same triggers (SQLite has to rebuild the table).
ALTER TABLE motions DROP CONSTRAINT motions_rule_base_check;
ALTER TABLE motions ADD CONSTRAINT motions_rule_base_check
    CHECK (rule_base IN ('all_members', 'present', 'yes_no_abstain', 'votes_cast'));
ALTER TABLE council_settings DROP CONSTRAINT council_settings_rule_base_check;
ALTER TABLE council_settings ADD CONSTRAINT council_settings_rule_base_check
    CHECK (rule_base IN ('all_members', 'present', 'yes_no_abstain', 'votes_cast'));
DROP TRIGGER motions_no_update ON motions;
DROP TRIGGER motions_no_delete ON motions;
CREATE TRIGGER motions_no_update BEFORE UPDATE ON motions
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motions();
CREATE TRIGGER motions_no_delete BEFORE DELETE ON motions
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motions();
