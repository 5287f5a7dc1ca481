-- Foundation: places, households, staff and roles, login throttling, audit log, mail outbox.
-- Times are naive UTC set by the application. Money, when it comes, is BIGINT fen.

CREATE TABLE townships (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE villages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    township_id BIGINT NOT NULL REFERENCES townships(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE village_groups (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (village_id, name)
);

CREATE TABLE households (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    group_id BIGINT NOT NULL REFERENCES village_groups(id),
    number TEXT NOT NULL,
    head_name TEXT NOT NULL,
    members INTEGER NOT NULL CHECK (members BETWEEN 1 AND 99),
    status TEXT NOT NULL CHECK (status IN ('active', 'moved', 'merged')),
    pin_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (village_id, number)
);
CREATE INDEX households_group ON households (group_id);

CREATE TABLE staff (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE role_assignments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'auditor', 'clerk', 'council_member', 'supervisor')),
    township_id BIGINT REFERENCES townships(id),
    village_id BIGINT REFERENCES villages(id),
    group_id BIGINT REFERENCES village_groups(id),
    created_at TIMESTAMP NOT NULL,
    -- Exactly one scope: a township, a village or a group.
    CHECK (num_nonnulls(township_id, village_id, group_id) = 1)
);
CREATE INDEX role_assignments_staff ON role_assignments (staff_id);

CREATE TABLE login_throttle (
    throttle_key TEXT NOT NULL PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE TABLE audit_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    township_id BIGINT REFERENCES townships(id),
    address TEXT,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_events_township ON audit_events (township_id, id);

-- The audit log is append-only: the database itself refuses edits and deletions.
CREATE FUNCTION minyi_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION minyi_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION minyi_append_only();

CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    gave_up_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, gave_up_at, next_attempt_at);
