-- A year's fund of a village (专项资金专账). The hash algorithm of its chain is fixed once
-- anything is posted.
CREATE TABLE funds (
    id INTEGER PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    allocation_fen BIGINT NOT NULL CHECK (allocation_fen >= 0),
    hash_algorithm TEXT NOT NULL CHECK (hash_algorithm IN ('sha256', 'sm3')),
    created_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (village_id, year)
);

-- Entries: recorded pending, then posted (seq, prev_hash, hash given) or rejected by a
-- supervisor who did not record them. Amounts are positive; the kind (and for a reversal the
-- kind of the entry it undoes) gives the direction.
CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    fund_id BIGINT NOT NULL REFERENCES funds(id),
    kind TEXT NOT NULL CHECK (kind IN ('allocation', 'expense', 'reversal')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'posted', 'rejected')),
    voucher TEXT NOT NULL,
    entry_date DATE NOT NULL,
    payee TEXT NOT NULL,
    description TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    project_id BIGINT REFERENCES projects(id),
    reverses_id BIGINT REFERENCES ledger_entries(id),
    recorded_by BIGINT NOT NULL REFERENCES staff(id),
    recorded_at TIMESTAMP NOT NULL,
    decided_by BIGINT REFERENCES staff(id),
    decided_at TIMESTAMP,
    reject_reason TEXT,
    seq BIGINT,
    prev_hash TEXT,
    hash TEXT,
    UNIQUE (fund_id, voucher),
    UNIQUE (fund_id, seq),
    CHECK ((state = 'posted') = (seq IS NOT NULL AND hash IS NOT NULL AND prev_hash IS NOT NULL)),
    CHECK ((kind = 'expense') = (project_id IS NOT NULL)),
    CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL))
);
CREATE INDEX ledger_entries_fund ON ledger_entries (fund_id, state);
-- An entry is reversed at most once (a rejected reversal frees it).
CREATE UNIQUE INDEX ledger_entries_reversed_once ON ledger_entries (reverses_id)
    WHERE reverses_id IS NOT NULL AND state <> 'rejected';

-- Vouchers (receipts, invoices, photos) in the attachment store.
CREATE TABLE ledger_vouchers (
    entry_id BIGINT NOT NULL REFERENCES ledger_entries(id),
    attachment_id BIGINT NOT NULL REFERENCES attachments(id),
    PRIMARY KEY (entry_id, attachment_id)
);

-- Closed means closed: a posted or rejected entry never changes, no entry is ever deleted, a
-- fund with posted entries never changes (its algorithm above all), no fund is deleted.
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
WHEN OLD.state <> 'pending'
BEGIN SELECT RAISE(ABORT, 'ledger_entries: a decided entry never changes'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger_entries: entries are never deleted'); END;
CREATE TRIGGER funds_no_update BEFORE UPDATE ON funds
WHEN EXISTS (SELECT 1 FROM ledger_entries e WHERE e.fund_id = OLD.id AND e.state = 'posted')
BEGIN SELECT RAISE(ABORT, 'funds: a fund with posted entries never changes'); END;
CREATE TRIGGER funds_no_delete BEFORE DELETE ON funds
BEGIN SELECT RAISE(ABORT, 'funds: funds are never deleted'); END;
