-- A ledger entry's vouchers are attached while it waits for the second person and stay as
-- they were verified: once the entry is posted or rejected no voucher is added, changed or
-- taken away.
CREATE TRIGGER ledger_vouchers_no_insert BEFORE INSERT ON ledger_vouchers
WHEN (SELECT state FROM ledger_entries WHERE id = NEW.entry_id) <> 'pending'
BEGIN SELECT RAISE(ABORT, 'ledger_vouchers: a decided entry''s vouchers never change'); END;
CREATE TRIGGER ledger_vouchers_no_update BEFORE UPDATE ON ledger_vouchers
BEGIN SELECT RAISE(ABORT, 'ledger_vouchers: a decided entry''s vouchers never change'); END;
CREATE TRIGGER ledger_vouchers_no_delete BEFORE DELETE ON ledger_vouchers
BEGIN SELECT RAISE(ABORT, 'ledger_vouchers: a decided entry''s vouchers never change'); END;
