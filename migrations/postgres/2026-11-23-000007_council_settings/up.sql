-- A village's council defaults: the quorum of its meetings and the rule its motions start with.
-- Without a row: at least 2/3 present; more than half of all members.
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
