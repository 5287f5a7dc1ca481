-- Closed means closed: what a motion was decided on is stored when it happens, never rebuilt
-- from today's members, names or attendance.

-- Who counted on a motion, taken when it opens: every member of the council then, with the
-- name they had, whether they were present at opening and at the close, and any recusal (a
-- recusal declared while the motion is open is added by the recusal itself).
CREATE TABLE motion_roll (
    motion_id BIGINT NOT NULL REFERENCES motions(id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    display_name TEXT NOT NULL,
    present_at_open BOOLEAN NOT NULL,
    present_at_close BOOLEAN,
    recused BOOLEAN NOT NULL,
    recusal_reason TEXT,
    PRIMARY KEY (motion_id, staff_id)
);

-- The tally's inputs and result, written once when a motion closes, lapses or is withdrawn.
CREATE TABLE motion_tallies (
    motion_id BIGINT NOT NULL PRIMARY KEY REFERENCES motions(id),
    result TEXT NOT NULL CHECK (result IN ('passed', 'failed', 'lapsed', 'withdrawn')),
    members INTEGER NOT NULL,
    present INTEGER NOT NULL,
    quorum_needed INTEGER NOT NULL,
    recused INTEGER NOT NULL,
    yes INTEGER NOT NULL,
    no INTEGER NOT NULL,
    abstain INTEGER NOT NULL,
    base INTEGER NOT NULL,
    needed INTEGER NOT NULL,
    withdrawn_reason TEXT,
    closed_by BIGINT NOT NULL REFERENCES staff(id),
    recorded_at TIMESTAMP NOT NULL
);

-- The meeting's attendance as it stood when the meeting closed, with the names then: the
-- minutes' header and signatures are built from it.
CREATE TABLE meeting_roll (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    display_name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'leave')),
    PRIMARY KEY (meeting_id, staff_id)
);

-- The database refuses changes to these snapshots: see 000011_promises (one place for every
-- promise, the same names on both backends).
