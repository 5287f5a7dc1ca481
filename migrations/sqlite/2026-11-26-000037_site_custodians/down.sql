DROP TRIGGER collection_sites_no_delete;
DROP TRIGGER collection_sites_no_update;
ALTER TABLE collection_sites DROP COLUMN staff_custodian_two;
ALTER TABLE collection_sites DROP COLUMN staff_custodian_one;
