-- Collection rounds (征集轮次): one ballot of suggestions per household per round (一户一票).

CREATE TABLE collection_rounds (
    id INTEGER PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    title TEXT NOT NULL,
    year INTEGER NOT NULL,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    min_suggestions INTEGER NOT NULL CHECK (min_suggestions >= 1),
    max_suggestions INTEGER NOT NULL CHECK (max_suggestions >= min_suggestions AND max_suggestions <= 20),
    -- One category per line, in the order they are offered.
    categories TEXT NOT NULL,
    double_entry BOOLEAN NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'published')),
    roll_size INTEGER,
    roll_hash TEXT,
    opened_at TIMESTAMP,
    closed_at TIMESTAMP,
    published_at TIMESTAMP,
    created_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX collection_rounds_village ON collection_rounds (village_id, id);

-- The eligibility roll, frozen when the round opens; later additions carry a written reason.
CREATE TABLE round_roll (
    round_id BIGINT NOT NULL REFERENCES collection_rounds(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    group_id BIGINT NOT NULL REFERENCES village_groups(id),
    added_reason TEXT,
    added_by BIGINT REFERENCES staff(id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, household_id)
);

-- Where paper ballots were handed out and collected, with the closure certificate.
CREATE TABLE collection_sites (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES collection_rounds(id),
    name TEXT NOT NULL,
    papers_issued INTEGER,
    papers_returned INTEGER,
    papers_spoiled INTEGER,
    custodian_one TEXT,
    custodian_two TEXT,
    certified_by BIGINT REFERENCES staff(id),
    certified_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, name)
);

CREATE TABLE ballots (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES collection_rounds(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    group_id BIGINT NOT NULL REFERENCES village_groups(id),
    channel TEXT NOT NULL CHECK (channel IN ('kiosk', 'phone', 'paper')),
    receipt TEXT NOT NULL,
    version INTEGER NOT NULL,
    paper_serial TEXT,
    site_id BIGINT REFERENCES collection_sites(id),
    entered_by BIGINT REFERENCES staff(id),
    voided_at TIMESTAMP,
    voided_by BIGINT REFERENCES staff(id),
    void_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, receipt),
    UNIQUE (round_id, paper_serial)
);
-- 一户一票: at most one ballot that is not voided per household and round, whoever submits it
-- and from however many app servers.
CREATE UNIQUE INDEX ballots_one_per_household ON ballots (round_id, household_id) WHERE voided_at IS NULL;

-- Every version of a ballot is kept; the ballot's `version` says which one counts.
CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY,
    ballot_id BIGINT NOT NULL REFERENCES ballots(id),
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    details TEXT NOT NULL,
    place TEXT NOT NULL,
    cost_fen BIGINT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (ballot_id, version, position)
);

-- Double entry of paper ballots: each typing is kept; the ballot posts when two clerks agree or
-- a clerk reconciles a mismatch.
CREATE TABLE paper_entries (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES collection_rounds(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    paper_serial TEXT NOT NULL,
    site_id BIGINT REFERENCES collection_sites(id),
    entered_by BIGINT NOT NULL REFERENCES staff(id),
    -- The typed suggestions as JSON, compared field by field.
    content TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'posted', 'mismatch', 'resolved')),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, paper_serial, entered_by)
);
CREATE INDEX paper_entries_serial ON paper_entries (round_id, paper_serial);
