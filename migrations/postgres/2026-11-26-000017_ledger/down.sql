DROP TABLE ledger_vouchers;
DROP TABLE ledger_entries;
DROP FUNCTION minyi_guard_ledger_entries();
DROP TABLE funds;
DROP FUNCTION minyi_guard_funds();
