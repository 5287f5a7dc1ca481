-- Back to the triggers of 000001-000004: the uniform set of 000011 goes, the earlier ones return.
DROP TRIGGER motion_roll_no_insert ON motion_roll;
DROP TRIGGER motion_roll_no_update ON motion_roll;
DROP TRIGGER motion_roll_no_delete ON motion_roll;
DROP TRIGGER motion_roll_no_truncate ON motion_roll;
DROP FUNCTION minyi_guard_motion_roll();
DROP TRIGGER motion_tallies_no_insert ON motion_tallies;
DROP TRIGGER motion_tallies_no_update ON motion_tallies;
DROP TRIGGER motion_tallies_no_delete ON motion_tallies;
DROP TRIGGER motion_tallies_no_truncate ON motion_tallies;
DROP FUNCTION minyi_guard_motion_tallies();
DROP TRIGGER meeting_roll_no_insert ON meeting_roll;
DROP TRIGGER meeting_roll_no_update ON meeting_roll;
DROP TRIGGER meeting_roll_no_delete ON meeting_roll;
DROP TRIGGER meeting_roll_no_truncate ON meeting_roll;
DROP FUNCTION minyi_guard_meeting_roll();
DROP TRIGGER votes_no_insert ON votes;
DROP FUNCTION minyi_guard_votes_insert();
DROP TRIGGER audit_events_no_delete ON audit_events;
DROP TRIGGER motions_no_update ON motions;
DROP TRIGGER motions_no_delete ON motions;
DROP TRIGGER motions_no_truncate ON motions;
DROP TRIGGER minutes_no_update ON minutes;
DROP TRIGGER minutes_no_delete ON minutes;
DROP TRIGGER minutes_no_truncate ON minutes;
DROP TRIGGER minute_signatures_no_insert ON minute_signatures;
DROP TRIGGER minute_signatures_no_update ON minute_signatures;
DROP TRIGGER minute_signatures_no_delete ON minute_signatures;
DROP TRIGGER minute_signatures_no_truncate ON minute_signatures;
DROP TRIGGER votes_no_update ON votes;
DROP TRIGGER votes_no_delete ON votes;
DROP TRIGGER votes_no_truncate ON votes;
DROP TRIGGER notices_no_update ON notices;
DROP TRIGGER notices_no_delete ON notices;
DROP TRIGGER objections_no_update ON objections;
DROP TRIGGER objections_no_delete ON objections;
DROP TRIGGER objections_no_truncate ON objections;
DROP TRIGGER ballots_no_insert ON ballots;
DROP TRIGGER ballots_no_update ON ballots;
DROP TRIGGER ballots_no_delete ON ballots;
DROP TRIGGER ballots_no_truncate ON ballots;
DROP TRIGGER suggestions_no_insert ON suggestions;
DROP TRIGGER suggestions_no_update ON suggestions;
DROP TRIGGER suggestions_no_delete ON suggestions;
DROP TRIGGER suggestions_no_truncate ON suggestions;
DROP TRIGGER round_roll_no_insert ON round_roll;
DROP TRIGGER round_roll_no_update ON round_roll;
DROP TRIGGER round_roll_no_delete ON round_roll;
DROP TRIGGER round_roll_no_truncate ON round_roll;
DROP FUNCTION minyi_no_truncate();
DROP FUNCTION minyi_guard_motions();
DROP FUNCTION minyi_guard_minutes();
DROP FUNCTION minyi_guard_minute_signatures();
DROP FUNCTION minyi_guard_votes();
DROP FUNCTION minyi_guard_notices();
DROP FUNCTION minyi_guard_objections();
DROP FUNCTION minyi_guard_ballots();
DROP FUNCTION minyi_guard_suggestions();
DROP FUNCTION minyi_guard_round_roll();

-- The triggers and functions of 000001, 000003 and 000004 as they were.
DROP TRIGGER audit_events_no_update ON audit_events;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION minyi_append_only();

CREATE FUNCTION minyi_notice_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'published' THEN
        RAISE EXCEPTION 'published notices are immutable';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER notices_published_frozen BEFORE UPDATE OR DELETE ON notices
FOR EACH ROW EXECUTE FUNCTION minyi_notice_frozen();

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
