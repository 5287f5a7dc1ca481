-- Public notices (公示) and the objections (异议) households file against them.

-- Notice periods per village and kind; a kind without a row uses the default of 7 days.
CREATE TABLE notice_periods (
    village_id BIGINT NOT NULL REFERENCES villages(id),
    kind TEXT NOT NULL,
    days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 90),
    PRIMARY KEY (village_id, kind)
);

CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    kind TEXT NOT NULL CHECK (kind IN ('shortlist', 'council_result', 'plan', 'fund_statement', 'acceptance', 'review_result', 'general')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- What the notice is about, e.g. `round:3` or `project:12`; the gate looks notices up by it.
    subject TEXT,
    period_days INTEGER NOT NULL CHECK (period_days BETWEEN 1 AND 90),
    state TEXT NOT NULL CHECK (state IN ('draft', 'published')),
    published_at TIMESTAMP,
    period_ends_at TIMESTAMP,
    content_hash TEXT,
    supersedes_id BIGINT REFERENCES notices(id),
    created_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notices_village ON notices (village_id, state, published_at);
CREATE INDEX notices_subject ON notices (subject);
-- A notice is superseded at most once: versions form a line, not a tree.
CREATE UNIQUE INDEX notices_superseded_once ON notices (supersedes_id) WHERE supersedes_id IS NOT NULL;

-- A published notice never changes and is never deleted.
CREATE TRIGGER notices_published_frozen BEFORE UPDATE ON notices
WHEN OLD.state = 'published'
BEGIN SELECT RAISE(ABORT, 'published notices are immutable'); END;
CREATE TRIGGER notices_published_kept BEFORE DELETE ON notices
WHEN OLD.state = 'published'
BEGIN SELECT RAISE(ABORT, 'published notices are immutable'); END;

CREATE TABLE objections (
    id INTEGER PRIMARY KEY,
    notice_id BIGINT NOT NULL REFERENCES notices(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    channel TEXT NOT NULL CHECK (channel IN ('online', 'oral', 'written')),
    body TEXT NOT NULL,
    recorded_by BIGINT REFERENCES staff(id),
    filed_at TIMESTAMP NOT NULL,
    answer_due_at TIMESTAMP NOT NULL,
    answer TEXT,
    upheld BOOLEAN,
    answered_by BIGINT REFERENCES staff(id),
    answered_at TIMESTAMP,
    reminded_at TIMESTAMP
);
CREATE INDEX objections_notice ON objections (notice_id);
CREATE INDEX objections_open ON objections (answered_at, answer_due_at);
