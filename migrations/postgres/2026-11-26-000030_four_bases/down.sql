-- Back to three bases; refused (CHECK) while any motion or setting uses yes_no_abstain.
ALTER TABLE motions DROP CONSTRAINT motions_rule_base_check;
ALTER TABLE motions ADD CONSTRAINT motions_rule_base_check
    CHECK (rule_base IN ('all_members', 'present', 'votes_cast'));
ALTER TABLE council_settings DROP CONSTRAINT council_settings_rule_base_check;
ALTER TABLE council_settings ADD CONSTRAINT council_settings_rule_base_check
    CHECK (rule_base IN ('all_members', 'present', 'votes_cast'));
DROP TRIGGER motions_no_update ON motions;
DROP TRIGGER motions_no_delete ON motions;
CREATE TRIGGER motions_no_update BEFORE UPDATE ON motions
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motions();
CREATE TRIGGER motions_no_delete BEFORE DELETE ON motions
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motions();
