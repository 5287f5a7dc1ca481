DROP TRIGGER ledger_vouchers_no_insert ON ledger_vouchers;
DROP TRIGGER ledger_vouchers_no_update ON ledger_vouchers;
DROP TRIGGER ledger_vouchers_no_delete ON ledger_vouchers;
DROP TRIGGER ledger_vouchers_no_truncate ON ledger_vouchers;
DROP FUNCTION minyi_guard_ledger_vouchers();
