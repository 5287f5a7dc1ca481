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

-- The motion's row is read FOR SHARE: a write racing with the close either finishes before the
-- close takes its lock or waits for it and then sees the motion closed.
CREATE FUNCTION minyi_council_snapshot_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    motion_state TEXT;
BEGIN
    IF TG_TABLE_NAME = 'motion_roll' THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'a motion roll is never deleted';
        END IF;
        IF TG_OP = 'INSERT' THEN
            SELECT state INTO motion_state FROM motions WHERE id = NEW.motion_id FOR SHARE;
            IF motion_state IS DISTINCT FROM 'open' THEN
                RAISE EXCEPTION 'a motion roll is taken when the motion opens';
            END IF;
            RETURN NEW;
        END IF;
        SELECT state INTO motion_state FROM motions WHERE id = OLD.motion_id FOR SHARE;
        IF motion_state = 'closed' THEN
            RAISE EXCEPTION 'the roll of a closed motion never changes';
        END IF;
        RETURN NEW;
    ELSIF TG_TABLE_NAME = 'motion_tallies' THEN
        IF TG_OP <> 'INSERT' THEN
            RAISE EXCEPTION 'a motion tally never changes';
        END IF;
        SELECT state INTO motion_state FROM motions WHERE id = NEW.motion_id FOR SHARE;
        IF motion_state = 'closed' THEN
            RAISE EXCEPTION 'a closed motion already has its tally';
        END IF;
        RETURN NEW;
    ELSIF TG_TABLE_NAME = 'meeting_roll' THEN
        RAISE EXCEPTION 'a meeting roll never changes';
    ELSIF TG_TABLE_NAME = 'votes' THEN
        IF TG_OP <> 'INSERT' THEN
            RAISE EXCEPTION 'votes are never changed';
        END IF;
        SELECT state INTO motion_state FROM motions WHERE id = NEW.motion_id FOR SHARE;
        IF motion_state IS DISTINCT FROM 'open' THEN
            RAISE EXCEPTION 'votes are cast only on open motions';
        END IF;
        RETURN NEW;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER motion_roll_guard BEFORE INSERT OR UPDATE OR DELETE ON motion_roll
FOR EACH ROW EXECUTE FUNCTION minyi_council_snapshot_guard();
CREATE TRIGGER motion_tallies_guard BEFORE INSERT OR UPDATE OR DELETE ON motion_tallies
FOR EACH ROW EXECUTE FUNCTION minyi_council_snapshot_guard();
CREATE TRIGGER meeting_roll_guard BEFORE UPDATE OR DELETE ON meeting_roll
FOR EACH ROW EXECUTE FUNCTION minyi_council_snapshot_guard();
CREATE TRIGGER votes_guard BEFORE INSERT OR UPDATE ON votes
FOR EACH ROW EXECUTE FUNCTION minyi_council_snapshot_guard();
