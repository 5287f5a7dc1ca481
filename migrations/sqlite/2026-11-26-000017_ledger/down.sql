DROP TABLE ledger_vouchers;
DROP TABLE ledger_entries;
DROP TABLE funds;
