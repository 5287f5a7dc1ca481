-- The promises the database keeps by itself, the same on SQLite and PostgreSQL (docs/promises.md
-- lists them with the test that tries to break each). Trigger names and messages are identical
-- on both backends; only PostgreSQL has TRUNCATE, so only it has the `*_no_truncate` guards.
--
-- One trigger function per table, one trigger per refused operation (so the trigger names match
-- SQLite's, which has one trigger per operation). A state other than the ones named as still
-- moving is final: a state added later (a lapsed or withdrawn motion) is protected without
-- touching these functions.

-- The earlier triggers of 000003/000004 are replaced by the uniform set below.
DROP TRIGGER IF EXISTS notices_published_frozen ON notices;
DROP TRIGGER IF EXISTS motions_closed_frozen ON motions;
DROP TRIGGER IF EXISTS minutes_locked_frozen ON minutes;
DROP TRIGGER IF EXISTS votes_kept ON votes;
DROP FUNCTION IF EXISTS minyi_notice_frozen();
DROP FUNCTION IF EXISTS minyi_council_frozen();
-- 000001's audit_events_no_update refused UPDATE and DELETE; SQLite has one trigger for each.
DROP TRIGGER IF EXISTS audit_events_no_update ON audit_events;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
FOR EACH ROW EXECUTE FUNCTION minyi_append_only();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION minyi_append_only();

-- TRUNCATE skips row triggers: every table below refuses it outright.
CREATE FUNCTION minyi_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% cannot be truncated', TG_TABLE_NAME;
END;
$$;

-- Motions: a draft or open motion moves (opened, closed); any other state is final. Only a
-- draft, never put to the vote, may be deleted.
CREATE FUNCTION minyi_guard_motions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.state NOT IN ('draft', 'open') THEN
            RAISE EXCEPTION 'motions: a closed motion never changes';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.state <> 'draft' THEN
        RAISE EXCEPTION 'motions: only a draft motion may be deleted';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER motions_no_update BEFORE UPDATE ON motions
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motions();
CREATE TRIGGER motions_no_delete BEFORE DELETE ON motions
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motions();
CREATE TRIGGER motions_no_truncate BEFORE TRUNCATE ON motions
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

-- Minutes: rewritten while unsigned; once locked (the last signature locks them) never again.
CREATE FUNCTION minyi_guard_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.locked_at IS NOT NULL THEN
        RAISE EXCEPTION 'minutes: locked minutes never change';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER minutes_no_update BEFORE UPDATE ON minutes
FOR EACH ROW EXECUTE FUNCTION minyi_guard_minutes();
CREATE TRIGGER minutes_no_delete BEFORE DELETE ON minutes
FOR EACH ROW EXECUTE FUNCTION minyi_guard_minutes();
CREATE TRIGGER minutes_no_truncate BEFORE TRUNCATE ON minutes
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

-- Signatures: taken only on minutes that exist and are not locked (the signature that locks
-- them is inserted before the lock, in the same transaction); never changed; deleted only while
-- the minutes are unlocked (rewriting unsigned minutes asks everyone to sign again).
CREATE FUNCTION minyi_guard_minute_signatures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (
            SELECT 1 FROM minutes WHERE meeting_id = NEW.meeting_id AND locked_at IS NULL
        ) THEN
            RAISE EXCEPTION 'minute_signatures: only unlocked minutes can be signed';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'minute_signatures: a signature never changes';
    END IF;
    IF EXISTS (
        SELECT 1 FROM minutes WHERE meeting_id = OLD.meeting_id AND locked_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'minute_signatures: signatures of locked minutes are kept';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER minute_signatures_no_insert BEFORE INSERT ON minute_signatures
FOR EACH ROW EXECUTE FUNCTION minyi_guard_minute_signatures();
CREATE TRIGGER minute_signatures_no_update BEFORE UPDATE ON minute_signatures
FOR EACH ROW EXECUTE FUNCTION minyi_guard_minute_signatures();
CREATE TRIGGER minute_signatures_no_delete BEFORE DELETE ON minute_signatures
FOR EACH ROW EXECUTE FUNCTION minyi_guard_minute_signatures();
CREATE TRIGGER minute_signatures_no_truncate BEFORE TRUNCATE ON minute_signatures
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

-- Votes: a cast vote is never changed and never deleted.
CREATE FUNCTION minyi_guard_votes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'votes: a vote never changes';
    END IF;
    RAISE EXCEPTION 'votes: votes are never deleted';
END;
$$;
CREATE TRIGGER votes_no_update BEFORE UPDATE ON votes
FOR EACH ROW EXECUTE FUNCTION minyi_guard_votes();
CREATE TRIGGER votes_no_delete BEFORE DELETE ON votes
FOR EACH ROW EXECUTE FUNCTION minyi_guard_votes();
CREATE TRIGGER votes_no_truncate BEFORE TRUNCATE ON votes
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

-- Notices: a published notice is never changed or deleted (a correction supersedes it).
-- notices_no_truncate (000003) stays.
CREATE FUNCTION minyi_guard_notices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state <> 'draft' THEN
        RAISE EXCEPTION 'notices: published notices are immutable';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices
FOR EACH ROW EXECUTE FUNCTION minyi_guard_notices();
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
FOR EACH ROW EXECUTE FUNCTION minyi_guard_notices();

-- Objections and their answers (stored on the objection): an objection is never deleted; once
-- answered neither it nor its answer changes. Before the answer the reminder job notes when it
-- reminded the clerks.
CREATE FUNCTION minyi_guard_objections() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'objections: objections are never deleted';
    END IF;
    IF OLD.answered_at IS NOT NULL THEN
        RAISE EXCEPTION 'objections: an answered objection never changes';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER objections_no_update BEFORE UPDATE ON objections
FOR EACH ROW EXECUTE FUNCTION minyi_guard_objections();
CREATE TRIGGER objections_no_delete BEFORE DELETE ON objections
FOR EACH ROW EXECUTE FUNCTION minyi_guard_objections();
CREATE TRIGGER objections_no_truncate BEFORE TRUNCATE ON objections
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

-- Ballots and their suggestions are written only while their round is a draft or open; once it
-- is closed (or published, or any later state) nothing is added, changed or deleted. An UPDATE
-- is checked against the round before and after, so a ballot cannot be moved out of or into a
-- closed round either.
CREATE FUNCTION minyi_guard_ballots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF (SELECT state FROM collection_rounds WHERE id = OLD.round_id) NOT IN ('draft', 'open') THEN
            RAISE EXCEPTION 'ballots: the round is closed';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF (SELECT state FROM collection_rounds WHERE id = NEW.round_id) NOT IN ('draft', 'open') THEN
            RAISE EXCEPTION 'ballots: the round is closed';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER ballots_no_insert BEFORE INSERT ON ballots
FOR EACH ROW EXECUTE FUNCTION minyi_guard_ballots();
CREATE TRIGGER ballots_no_update BEFORE UPDATE ON ballots
FOR EACH ROW EXECUTE FUNCTION minyi_guard_ballots();
CREATE TRIGGER ballots_no_delete BEFORE DELETE ON ballots
FOR EACH ROW EXECUTE FUNCTION minyi_guard_ballots();
CREATE TRIGGER ballots_no_truncate BEFORE TRUNCATE ON ballots
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_suggestions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF (SELECT r.state FROM ballots b JOIN collection_rounds r ON r.id = b.round_id
            WHERE b.id = OLD.ballot_id) NOT IN ('draft', 'open') THEN
            RAISE EXCEPTION 'suggestions: the round is closed';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF (SELECT r.state FROM ballots b JOIN collection_rounds r ON r.id = b.round_id
            WHERE b.id = NEW.ballot_id) NOT IN ('draft', 'open') THEN
            RAISE EXCEPTION 'suggestions: the round is closed';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER suggestions_no_insert BEFORE INSERT ON suggestions
FOR EACH ROW EXECUTE FUNCTION minyi_guard_suggestions();
CREATE TRIGGER suggestions_no_update BEFORE UPDATE ON suggestions
FOR EACH ROW EXECUTE FUNCTION minyi_guard_suggestions();
CREATE TRIGGER suggestions_no_delete BEFORE DELETE ON suggestions
FOR EACH ROW EXECUTE FUNCTION minyi_guard_suggestions();
CREATE TRIGGER suggestions_no_truncate BEFORE TRUNCATE ON suggestions
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

-- The roll is frozen when the round opens: its rows never change or go. Late additions (with a
-- reason) are inserted while the round is open; a closed round's roll takes none.
CREATE FUNCTION minyi_guard_round_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF (SELECT state FROM collection_rounds WHERE id = NEW.round_id) NOT IN ('draft', 'open') THEN
            RAISE EXCEPTION 'round_roll: the round is closed';
        END IF;
        RETURN NEW;
    END IF;
    IF (SELECT state FROM collection_rounds WHERE id = OLD.round_id) <> 'draft' THEN
        RAISE EXCEPTION 'round_roll: the roll of an opened round never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF (SELECT state FROM collection_rounds WHERE id = NEW.round_id) <> 'draft' THEN
        RAISE EXCEPTION 'round_roll: the roll of an opened round never changes';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER round_roll_no_insert BEFORE INSERT ON round_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_round_roll();
CREATE TRIGGER round_roll_no_update BEFORE UPDATE ON round_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_round_roll();
CREATE TRIGGER round_roll_no_delete BEFORE DELETE ON round_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_round_roll();
CREATE TRIGGER round_roll_no_truncate BEFORE TRUNCATE ON round_roll
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

-- Council snapshots (000009). A motion's roll is taken when it opens (inserted while it is
-- open), marked with who was present at the close before the close, and never changes once the
-- motion is decided; it is never deleted. The tally is written once, just before the motion
-- leaves draft/open, and never changes. A meeting's roll is taken just before the meeting closes
-- and never changes. A vote is cast only on an open motion (never changed or deleted: above).
-- The motion's row is read FOR SHARE: a write racing with the close either finishes before the
-- close takes its lock, or waits for it and then sees the motion decided.
CREATE FUNCTION minyi_guard_motion_roll() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    motion_state TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT state INTO motion_state FROM motions WHERE id = NEW.motion_id FOR SHARE;
        IF motion_state IS DISTINCT FROM 'open' THEN
            RAISE EXCEPTION 'motion_roll: a roll is taken while the motion is open';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT state INTO motion_state FROM motions WHERE id = OLD.motion_id FOR SHARE;
        IF motion_state NOT IN ('draft', 'open') OR NEW.motion_id <> OLD.motion_id THEN
            RAISE EXCEPTION 'motion_roll: the roll of a decided motion never changes';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'motion_roll: a roll is never deleted';
END;
$$;
CREATE TRIGGER motion_roll_no_insert BEFORE INSERT ON motion_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motion_roll();
CREATE TRIGGER motion_roll_no_update BEFORE UPDATE ON motion_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motion_roll();
CREATE TRIGGER motion_roll_no_delete BEFORE DELETE ON motion_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motion_roll();
CREATE TRIGGER motion_roll_no_truncate BEFORE TRUNCATE ON motion_roll
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_motion_tallies() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    motion_state TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT state INTO motion_state FROM motions WHERE id = NEW.motion_id FOR SHARE;
        IF motion_state NOT IN ('draft', 'open') THEN
            RAISE EXCEPTION 'motion_tallies: a decided motion already has its tally';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'motion_tallies: a tally never changes';
    END IF;
    RAISE EXCEPTION 'motion_tallies: a tally is never deleted';
END;
$$;
CREATE TRIGGER motion_tallies_no_insert BEFORE INSERT ON motion_tallies
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motion_tallies();
CREATE TRIGGER motion_tallies_no_update BEFORE UPDATE ON motion_tallies
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motion_tallies();
CREATE TRIGGER motion_tallies_no_delete BEFORE DELETE ON motion_tallies
FOR EACH ROW EXECUTE FUNCTION minyi_guard_motion_tallies();
CREATE TRIGGER motion_tallies_no_truncate BEFORE TRUNCATE ON motion_tallies
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_meeting_roll() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    meeting_state TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT state INTO meeting_state FROM meetings WHERE id = NEW.meeting_id;
        IF meeting_state = 'closed' THEN
            RAISE EXCEPTION 'meeting_roll: the roll of a closed meeting never changes';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'meeting_roll: a meeting roll never changes';
    END IF;
    RAISE EXCEPTION 'meeting_roll: a meeting roll is never deleted';
END;
$$;
CREATE TRIGGER meeting_roll_no_insert BEFORE INSERT ON meeting_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_meeting_roll();
CREATE TRIGGER meeting_roll_no_update BEFORE UPDATE ON meeting_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_meeting_roll();
CREATE TRIGGER meeting_roll_no_delete BEFORE DELETE ON meeting_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_meeting_roll();
CREATE TRIGGER meeting_roll_no_truncate BEFORE TRUNCATE ON meeting_roll
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_votes_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    motion_state TEXT;
BEGIN
    SELECT state INTO motion_state FROM motions WHERE id = NEW.motion_id FOR SHARE;
    IF motion_state IS DISTINCT FROM 'open' THEN
        RAISE EXCEPTION 'votes: votes are cast only on open motions';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER votes_no_insert BEFORE INSERT ON votes
FOR EACH ROW EXECUTE FUNCTION minyi_guard_votes_insert();
