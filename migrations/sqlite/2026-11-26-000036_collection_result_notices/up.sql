-- A notice kind for a collection round's results (征集结果公示, issue 10): publishing a round's
-- results posts them on the notice board. SQLite cannot alter a CHECK constraint, so `notices` is
-- rebuilt with the same columns, indexes and triggers; every row is copied unchanged (the copy
-- goes through INSERT, which no trigger guards), so each published notice keeps its hash.
--
-- DROP TABLE runs an implicit DELETE that the foreign keys of objections, plans, acceptances,
-- reviews and superseding notices would refuse; deferring them lets the check run at commit, when
-- `notices` exists again with the same ids. The table's triggers go with it before that DELETE
-- (so the guard against deleting published notices does not fire) and are recreated below.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE notices_copy AS SELECT * FROM notices;
DROP TABLE notices;
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    kind TEXT NOT NULL CHECK (kind IN ('shortlist', 'council_result', 'plan', 'fund_statement', 'acceptance', 'review_result', 'collection_result', 'general')),
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
INSERT INTO notices (id, village_id, kind, title, body, subject, period_days, state, published_at,
                     period_ends_at, content_hash, supersedes_id, created_by, created_at)
SELECT id, village_id, kind, title, body, subject, period_days, state, published_at,
       period_ends_at, content_hash, supersedes_id, created_by, created_at
FROM notices_copy;
DROP TABLE notices_copy;
CREATE INDEX notices_village ON notices (village_id, state, published_at);
CREATE INDEX notices_subject ON notices (subject);
CREATE UNIQUE INDEX notices_superseded_once ON notices (supersedes_id) WHERE supersedes_id IS NOT NULL;

-- Notices: a published notice is never changed or deleted (a correction supersedes it).
CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices
WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'notices: published notices are immutable'); END;
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'notices: published notices are immutable'); END;
