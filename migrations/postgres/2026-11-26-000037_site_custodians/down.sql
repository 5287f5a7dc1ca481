DROP TRIGGER collection_sites_no_delete ON collection_sites;
DROP TRIGGER collection_sites_no_update ON collection_sites;
DROP FUNCTION minyi_guard_collection_sites();
ALTER TABLE collection_sites DROP COLUMN staff_custodian_two;
ALTER TABLE collection_sites DROP COLUMN staff_custodian_one;
