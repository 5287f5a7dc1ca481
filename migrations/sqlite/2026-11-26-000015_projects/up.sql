-- Projects become their own part: the full lifecycle status, the plan (方案) with its budget
-- lines, funding sources and the people who drafted it, and the attachment store (photos and
-- PDFs kept in the data directory under their SHA-256) that progress, inspections, acceptance
-- and ledger vouchers link to.

-- SQLite cannot change a CHECK constraint: the table is rebuilt (nothing references it yet).
CREATE TABLE projects_new (
    id INTEGER PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    candidate_id BIGINT NOT NULL UNIQUE REFERENCES candidates(id),
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('approved', 'plan_drafted', 'plan_approved', 'in_notice',
        'cleared', 'in_progress', 'completed', 'accepted', 'suspended', 'cancelled')),
    approved_by_motion BIGINT NOT NULL REFERENCES motions(id),
    created_at TIMESTAMP NOT NULL,
    category TEXT NOT NULL,
    -- While suspended: the status it returns to.
    suspended_from TEXT,
    status_reason TEXT,
    status_changed_at TIMESTAMP NOT NULL
);
INSERT INTO projects_new (id, village_id, candidate_id, title, status, approved_by_motion,
    created_at, category, suspended_from, status_reason, status_changed_at)
SELECT p.id, p.village_id, p.candidate_id, p.title, p.status, p.approved_by_motion, p.created_at,
    c.category, NULL, NULL, p.created_at
FROM projects p JOIN candidates c ON c.id = p.candidate_id;
DROP TABLE projects;
ALTER TABLE projects_new RENAME TO projects;
CREATE INDEX projects_village ON projects (village_id);

-- A plan; a new version is drafted after a failed vote or an upheld objection.
CREATE TABLE project_plans (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    version INTEGER NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('self_built', 'outsourced', 'engineering')),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    -- How the contractor was chosen (outsourced and engineering plans).
    contractor_selection TEXT,
    total_fen BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'voting', 'approved', 'rejected', 'superseded')),
    motion_id BIGINT REFERENCES motions(id),
    notice_id BIGINT REFERENCES notices(id),
    created_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    UNIQUE (project_id, version)
);

CREATE TABLE plan_budget_lines (
    plan_id BIGINT NOT NULL REFERENCES project_plans(id),
    position INTEGER NOT NULL,
    item TEXT NOT NULL,
    -- Hundredths of the unit: 12.5 m² is 1250.
    quantity_hundredths BIGINT NOT NULL CHECK (quantity_hundredths > 0),
    unit TEXT NOT NULL,
    unit_price_fen BIGINT NOT NULL CHECK (unit_price_fen >= 0),
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    PRIMARY KEY (plan_id, position)
);

CREATE TABLE plan_funding (
    plan_id BIGINT NOT NULL REFERENCES project_plans(id),
    source TEXT NOT NULL CHECK (source IN ('earmarked', 'village_own', 'other')),
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    PRIMARY KEY (plan_id, source)
);

CREATE TABLE plan_participants (
    plan_id BIGINT NOT NULL REFERENCES project_plans(id),
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('household_rep', 'supervisor', 'professional')),
    name TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
);

-- Stored files: the bytes live in <data dir>/attachments/<sha256>; owners link by id.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size_bytes BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_sha256 ON attachments (sha256);
