-- Security (issue 11): session generations, forced password changes, the audit hash chain.

-- One generation per signed-in party (`staff:3`, `household:12`). A session cookie carries the
-- generation it was issued under; logout, a password change, deactivation or a role removal
-- moves it on, so every older cookie is refused on every app server. No row means 0.
CREATE TABLE session_epochs (
    principal TEXT NOT NULL PRIMARY KEY,
    epoch BIGINT NOT NULL
);

-- A one-time or reset password must be replaced at the next sign-in before anything else.
ALTER TABLE staff ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT 0;

-- Each audit event carries the SHA-256 of the previous one (prev_hash) and its own (hash);
-- rows written before this migration have neither. The one-row head is updated first by every
-- append, which serializes appends (a row lock on PostgreSQL, the write lock on SQLite).
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
CREATE TABLE audit_chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    appended BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, appended, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Two-factor sign-in (TOTP, RFC 6238). The secret is kept as base32: the server must compute
-- codes from it. confirmed_at is NULL while enrolment waits for the first code; last_step is
-- the newest 30-second step accepted, so no code is accepted twice.
CREATE TABLE staff_totp (
    staff_id BIGINT NOT NULL PRIMARY KEY REFERENCES staff(id),
    secret TEXT NOT NULL,
    confirmed_at TIMESTAMP,
    last_step BIGINT NOT NULL
);

-- Recovery codes, each usable once instead of a code; only their SHA-256 is stored.
CREATE TABLE staff_recovery_codes (
    id INTEGER PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX staff_recovery_codes_staff ON staff_recovery_codes (staff_id);
