-- Back to the triggers of 000001-000004: the uniform set of 000011 goes, the earlier ones return.
DROP TRIGGER motion_roll_no_insert;
DROP TRIGGER motion_roll_no_update;
DROP TRIGGER motion_roll_no_delete;
DROP TRIGGER motion_tallies_no_insert;
DROP TRIGGER motion_tallies_no_update;
DROP TRIGGER motion_tallies_no_delete;
DROP TRIGGER meeting_roll_no_insert;
DROP TRIGGER meeting_roll_no_update;
DROP TRIGGER meeting_roll_no_delete;
DROP TRIGGER votes_no_insert;
DROP TRIGGER motions_no_update;
DROP TRIGGER motions_no_delete;
DROP TRIGGER minutes_no_update;
DROP TRIGGER minutes_no_delete;
DROP TRIGGER minute_signatures_no_insert;
DROP TRIGGER minute_signatures_no_update;
DROP TRIGGER minute_signatures_no_delete;
DROP TRIGGER votes_no_update;
DROP TRIGGER votes_no_delete;
DROP TRIGGER notices_no_update;
DROP TRIGGER notices_no_delete;
DROP TRIGGER objections_no_update;
DROP TRIGGER objections_no_delete;
DROP TRIGGER ballots_no_insert;
DROP TRIGGER ballots_no_update;
DROP TRIGGER ballots_no_delete;
DROP TRIGGER suggestions_no_insert;
DROP TRIGGER suggestions_no_update;
DROP TRIGGER suggestions_no_delete;
DROP TRIGGER round_roll_no_insert;
DROP TRIGGER round_roll_no_update;
DROP TRIGGER round_roll_no_delete;

-- The triggers of 000003 and 000004 as they were.
CREATE TRIGGER notices_published_frozen BEFORE UPDATE ON notices
WHEN OLD.state = 'published'
BEGIN SELECT RAISE(ABORT, 'published notices are immutable'); END;
CREATE TRIGGER notices_published_kept BEFORE DELETE ON notices
WHEN OLD.state = 'published'
BEGIN SELECT RAISE(ABORT, 'published notices are immutable'); END;
CREATE TRIGGER motions_closed_frozen BEFORE UPDATE ON motions
WHEN OLD.state = 'closed'
BEGIN SELECT RAISE(ABORT, 'closed motions are immutable'); END;
CREATE TRIGGER minutes_locked_frozen BEFORE UPDATE ON minutes
WHEN OLD.locked_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'signed minutes are immutable'); END;
CREATE TRIGGER votes_kept BEFORE DELETE ON votes
BEGIN SELECT RAISE(ABORT, 'votes are never deleted'); END;
