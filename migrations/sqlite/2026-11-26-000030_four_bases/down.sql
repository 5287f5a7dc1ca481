-- Back to three bases; refused (CHECK) while any motion or setting uses yes_no_abstain.
-- `votes_cast` (yes + no only, the meaning that value has had since the first motion). SQLite
-- cannot alter a CHECK constraint, so motions and council_settings are rebuilt with the same
-- columns, indexes and triggers. The rows are copied unchanged: a closed motion keeps every
-- value it closed with (the copy goes through INSERT, which no trigger guards).
--
-- DROP TABLE runs an implicit DELETE that foreign keys of votes, recusals, snapshots and
-- projects would refuse; deferring them lets the check run at commit, when `motions` exists
-- again with the same ids. Triggers are dropped with the table before that DELETE, so the
-- guard against deleting closed motions does not fire (and is recreated below).
PRAGMA defer_foreign_keys = ON;

CREATE TABLE motions_copy AS SELECT * FROM motions;
DROP TABLE motions;
CREATE TABLE motions (
    id INTEGER PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    kind TEXT NOT NULL CHECK (kind IN ('approve_candidate', 'approve_plan', 'add_temporary', 'reconsider', 'general')),
    text TEXT NOT NULL,
    rule_base TEXT NOT NULL CHECK (rule_base IN ('all_members', 'present', 'votes_cast')),
    rule_numerator INTEGER NOT NULL,
    rule_denominator INTEGER NOT NULL CHECK (rule_denominator > 0),
    rule_strict BOOLEAN NOT NULL,
    rule_min_yes INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
    -- Who was a member when the motion opened: the base of an "all members" rule.
    members_at_open INTEGER,
    opened_at TIMESTAMP,
    closed_at TIMESTAMP,
    passed BOOLEAN,
    outcome_zh TEXT,
    outcome_en TEXT,
    created_at TIMESTAMP NOT NULL,
    candidate_id BIGINT REFERENCES candidates(id)
);
INSERT INTO motions (id, meeting_id, kind, text, rule_base, rule_numerator, rule_denominator,
    rule_strict, rule_min_yes, state, members_at_open, opened_at, closed_at, passed, outcome_zh,
    outcome_en, created_at, candidate_id)
SELECT id, meeting_id, kind, text, rule_base, rule_numerator, rule_denominator, rule_strict,
    rule_min_yes, state, members_at_open, opened_at, closed_at, passed, outcome_zh, outcome_en,
    created_at, candidate_id
FROM motions_copy;
DROP TABLE motions_copy;
CREATE INDEX motions_meeting ON motions (meeting_id);
CREATE TRIGGER motions_no_update BEFORE UPDATE ON motions
WHEN OLD.state NOT IN ('draft', 'open')
BEGIN SELECT RAISE(ABORT, 'motions: a closed motion never changes'); END;
CREATE TRIGGER motions_no_delete BEFORE DELETE ON motions
WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'motions: only a draft motion may be deleted'); END;

CREATE TABLE council_settings_copy AS SELECT * FROM council_settings;
DROP TABLE council_settings;
CREATE TABLE council_settings (
    village_id BIGINT NOT NULL PRIMARY KEY REFERENCES villages(id),
    quorum_numerator INTEGER NOT NULL,
    quorum_denominator INTEGER NOT NULL CHECK (quorum_denominator > 0),
    rule_base TEXT NOT NULL CHECK (rule_base IN ('all_members', 'present', 'votes_cast')),
    rule_numerator INTEGER NOT NULL,
    rule_denominator INTEGER NOT NULL CHECK (rule_denominator > 0),
    rule_strict BOOLEAN NOT NULL,
    rule_min_yes INTEGER NOT NULL
);
INSERT INTO council_settings SELECT village_id, quorum_numerator, quorum_denominator, rule_base,
    rule_numerator, rule_denominator, rule_strict, rule_min_yes FROM council_settings_copy;
DROP TABLE council_settings_copy;
