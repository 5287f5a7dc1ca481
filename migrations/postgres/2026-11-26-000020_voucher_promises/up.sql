-- A ledger entry's vouchers are attached while it waits for the second person and stay as
-- they were verified: once the entry is posted or rejected no voucher is added, changed or
-- taken away.
CREATE FUNCTION minyi_guard_ledger_vouchers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF (SELECT state FROM ledger_entries WHERE id = NEW.entry_id) <> 'pending' THEN
            RAISE EXCEPTION 'ledger_vouchers: a decided entry''s vouchers never change';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ledger_vouchers: a decided entry''s vouchers never change';
END;
$$;
CREATE TRIGGER ledger_vouchers_no_insert BEFORE INSERT ON ledger_vouchers
    FOR EACH ROW EXECUTE FUNCTION minyi_guard_ledger_vouchers();
CREATE TRIGGER ledger_vouchers_no_update BEFORE UPDATE ON ledger_vouchers
    FOR EACH ROW EXECUTE FUNCTION minyi_guard_ledger_vouchers();
CREATE TRIGGER ledger_vouchers_no_delete BEFORE DELETE ON ledger_vouchers
    FOR EACH ROW EXECUTE FUNCTION minyi_guard_ledger_vouchers();
CREATE TRIGGER ledger_vouchers_no_truncate BEFORE TRUNCATE ON ledger_vouchers
    FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();
