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

CREATE TRIGGER motion_roll_frozen_update BEFORE UPDATE ON motion_roll
WHEN (SELECT state FROM motions WHERE id = OLD.motion_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'the roll of a closed motion never changes'); END;
CREATE TRIGGER motion_roll_frozen_delete BEFORE DELETE ON motion_roll
BEGIN SELECT RAISE(ABORT, 'a motion roll is never deleted'); END;
CREATE TRIGGER motion_roll_frozen_insert BEFORE INSERT ON motion_roll
WHEN (SELECT state FROM motions WHERE id = NEW.motion_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'a motion roll is taken when the motion opens'); END;
CREATE TRIGGER motion_tallies_frozen_update BEFORE UPDATE ON motion_tallies
BEGIN SELECT RAISE(ABORT, 'a motion tally never changes'); END;
CREATE TRIGGER motion_tallies_frozen_delete BEFORE DELETE ON motion_tallies
BEGIN SELECT RAISE(ABORT, 'a motion tally is never deleted'); END;
CREATE TRIGGER motion_tallies_once BEFORE INSERT ON motion_tallies
WHEN (SELECT state FROM motions WHERE id = NEW.motion_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'a closed motion already has its tally'); END;
CREATE TRIGGER meeting_roll_frozen_update BEFORE UPDATE ON meeting_roll
BEGIN SELECT RAISE(ABORT, 'a meeting roll never changes'); END;
CREATE TRIGGER meeting_roll_frozen_delete BEFORE DELETE ON meeting_roll
BEGIN SELECT RAISE(ABORT, 'a meeting roll is never deleted'); END;
CREATE TRIGGER votes_never_updated BEFORE UPDATE ON votes
BEGIN SELECT RAISE(ABORT, 'votes are never changed'); END;
CREATE TRIGGER votes_only_while_open BEFORE INSERT ON votes
WHEN (SELECT state FROM motions WHERE id = NEW.motion_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'votes are cast only on open motions'); END;
