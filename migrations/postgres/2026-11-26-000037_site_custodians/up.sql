-- A collection site's closure certificate names four custodians, as villages practise it: the two
-- residents already recorded (`custodian_one`, `custodian_two`) and two staff. Certificates
-- signed before this change name two and are never backfilled (NULL).
ALTER TABLE collection_sites ADD COLUMN staff_custodian_one TEXT;
ALTER TABLE collection_sites ADD COLUMN staff_custodian_two TEXT;

-- A signed certificate never changes and is never deleted: it is what the custodians signed.
CREATE FUNCTION minyi_guard_collection_sites() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.certified_at IS NOT NULL THEN
        RAISE EXCEPTION 'collection_sites: a signed certificate never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER collection_sites_no_update BEFORE UPDATE ON collection_sites
FOR EACH ROW EXECUTE FUNCTION minyi_guard_collection_sites();
CREATE TRIGGER collection_sites_no_delete BEFORE DELETE ON collection_sites
FOR EACH ROW EXECUTE FUNCTION minyi_guard_collection_sites();
