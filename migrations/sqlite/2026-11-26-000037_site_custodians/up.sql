-- A collection site's closure certificate names four custodians, as villages practise it: the two
-- residents already recorded (`custodian_one`, `custodian_two`) and two staff. Certificates
-- signed before this change name two and are never backfilled (NULL).
ALTER TABLE collection_sites ADD COLUMN staff_custodian_one TEXT;
ALTER TABLE collection_sites ADD COLUMN staff_custodian_two TEXT;

-- A signed certificate never changes and is never deleted: it is what the custodians signed.
CREATE TRIGGER collection_sites_no_update BEFORE UPDATE ON collection_sites
WHEN OLD.certified_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'collection_sites: a signed certificate never changes'); END;
CREATE TRIGGER collection_sites_no_delete BEFORE DELETE ON collection_sites
WHEN OLD.certified_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'collection_sites: a signed certificate never changes'); END;
