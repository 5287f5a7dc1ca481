-- The villagers' council (议事会): meetings, attendance, motions with their rule, recusals,
-- roll-call votes and signed minutes.

CREATE TABLE meetings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    -- NULL: the village council; else that group's council.
    group_id BIGINT REFERENCES village_groups(id),
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('scheduled', 'open', 'closed')),
    quorum_numerator INTEGER NOT NULL,
    quorum_denominator INTEGER NOT NULL CHECK (quorum_denominator > 0),
    convened_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX meetings_village ON meetings (village_id, starts_at);

CREATE TABLE attendance (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'leave')),
    recorded_by BIGINT NOT NULL REFERENCES staff(id),
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (meeting_id, staff_id)
);

CREATE TABLE motions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX motions_meeting ON motions (meeting_id);

CREATE TABLE recusals (
    motion_id BIGINT NOT NULL REFERENCES motions(id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    reason TEXT NOT NULL,
    declared_at TIMESTAMP NOT NULL,
    PRIMARY KEY (motion_id, staff_id)
);

-- One vote per member per motion, whoever records it and however many requests race.
CREATE TABLE votes (
    motion_id BIGINT NOT NULL REFERENCES motions(id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
    -- Set when the clerk recorded a show of hands on the meeting's behalf.
    recorded_by BIGINT REFERENCES staff(id),
    cast_at TIMESTAMP NOT NULL,
    PRIMARY KEY (motion_id, staff_id)
);

CREATE TABLE minutes (
    meeting_id BIGINT NOT NULL PRIMARY KEY REFERENCES meetings(id),
    body TEXT NOT NULL,
    clerk_notes TEXT NOT NULL,
    content_hash TEXT,
    locked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE minute_signatures (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    signed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (meeting_id, staff_id)
);

-- Closed tallies and signed minutes never change.
CREATE FUNCTION minyi_council_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- One table per branch: PL/pgSQL resolves every field an expression names, so a column of
    -- one table must never be read on another.
    IF TG_TABLE_NAME = 'motions' THEN
        IF OLD.state = 'closed' THEN
            RAISE EXCEPTION 'closed motions are immutable';
        END IF;
    ELSIF TG_TABLE_NAME = 'minutes' THEN
        IF OLD.locked_at IS NOT NULL THEN
            RAISE EXCEPTION 'signed minutes are immutable';
        END IF;
    ELSIF TG_TABLE_NAME = 'votes' THEN
        RAISE EXCEPTION 'votes are never deleted';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER motions_closed_frozen BEFORE UPDATE OR DELETE ON motions
FOR EACH ROW EXECUTE FUNCTION minyi_council_frozen();
CREATE TRIGGER minutes_locked_frozen BEFORE UPDATE OR DELETE ON minutes
FOR EACH ROW EXECUTE FUNCTION minyi_council_frozen();
CREATE TRIGGER votes_kept BEFORE DELETE ON votes
FOR EACH ROW EXECUTE FUNCTION minyi_council_frozen();
