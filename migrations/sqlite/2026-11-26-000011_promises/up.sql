-- The promises the database keeps by itself, the same on SQLite and PostgreSQL (docs/promises.md
-- lists them with the test that tries to break each). Trigger names and messages are identical
-- on both backends; only PostgreSQL has TRUNCATE, so only it has the `*_no_truncate` guards.
--
-- A state other than the ones named as still moving is final: a state added later (a lapsed or
-- withdrawn motion) is protected without touching these triggers.

-- The earlier triggers of 000003/000004 are replaced by the uniform set below. IF EXISTS: a
-- migration between them and this one may have rebuilt their table (dropping its triggers).
DROP TRIGGER IF EXISTS notices_published_frozen;
DROP TRIGGER IF EXISTS notices_published_kept;
DROP TRIGGER IF EXISTS motions_closed_frozen;
DROP TRIGGER IF EXISTS minutes_locked_frozen;
DROP TRIGGER IF EXISTS votes_kept;
-- audit_events_no_update and audit_events_no_delete (000001) already are what PostgreSQL gets
-- below; they stay.

-- Motions: a draft or open motion moves (opened, closed); any other state is final. Only a
-- draft, never put to the vote, may be deleted.
CREATE TRIGGER motions_no_update BEFORE UPDATE ON motions
WHEN OLD.state NOT IN ('draft', 'open')
BEGIN SELECT RAISE(ABORT, 'motions: a closed motion never changes'); END;
CREATE TRIGGER motions_no_delete BEFORE DELETE ON motions
WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'motions: only a draft motion may be deleted'); END;

-- Minutes: rewritten while unsigned; once locked (the last signature locks them) never again.
CREATE TRIGGER minutes_no_update BEFORE UPDATE ON minutes
WHEN OLD.locked_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'minutes: locked minutes never change'); END;
CREATE TRIGGER minutes_no_delete BEFORE DELETE ON minutes
WHEN OLD.locked_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'minutes: locked minutes never change'); END;

-- Signatures: taken only on minutes that exist and are not locked (the signature that locks
-- them is inserted before the lock, in the same transaction); never changed; deleted only while
-- the minutes are unlocked (rewriting unsigned minutes asks everyone to sign again).
CREATE TRIGGER minute_signatures_no_insert BEFORE INSERT ON minute_signatures
WHEN NOT EXISTS (
    SELECT 1 FROM minutes WHERE meeting_id = NEW.meeting_id AND locked_at IS NULL
)
BEGIN SELECT RAISE(ABORT, 'minute_signatures: only unlocked minutes can be signed'); END;
CREATE TRIGGER minute_signatures_no_update BEFORE UPDATE ON minute_signatures
BEGIN SELECT RAISE(ABORT, 'minute_signatures: a signature never changes'); END;
CREATE TRIGGER minute_signatures_no_delete BEFORE DELETE ON minute_signatures
WHEN EXISTS (
    SELECT 1 FROM minutes WHERE meeting_id = OLD.meeting_id AND locked_at IS NOT NULL
)
BEGIN SELECT RAISE(ABORT, 'minute_signatures: signatures of locked minutes are kept'); END;

-- Votes: a cast vote is never changed and never deleted.
CREATE TRIGGER votes_no_update BEFORE UPDATE ON votes
BEGIN SELECT RAISE(ABORT, 'votes: a vote never changes'); END;
CREATE TRIGGER votes_no_delete BEFORE DELETE ON votes
BEGIN SELECT RAISE(ABORT, 'votes: votes are never deleted'); END;

-- Notices: a published notice is never changed or deleted (a correction supersedes it).
CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices
WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'notices: published notices are immutable'); END;
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'notices: published notices are immutable'); END;

-- Objections and their answers (stored on the objection): an objection is never deleted; once
-- answered neither it nor its answer changes. Before the answer the reminder job notes when it
-- reminded the clerks.
CREATE TRIGGER objections_no_update BEFORE UPDATE ON objections
WHEN OLD.answered_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'objections: an answered objection never changes'); END;
CREATE TRIGGER objections_no_delete BEFORE DELETE ON objections
BEGIN SELECT RAISE(ABORT, 'objections: objections are never deleted'); END;

-- Ballots and their suggestions are written only while their round is a draft or open; once it
-- is closed (or published, or any later state) nothing is added, changed or deleted. An UPDATE
-- is checked against the round before and after, so a ballot cannot be moved out of or into a
-- closed round either.
CREATE TRIGGER ballots_no_insert BEFORE INSERT ON ballots
WHEN (SELECT state FROM collection_rounds WHERE id = NEW.round_id) NOT IN ('draft', 'open')
BEGIN SELECT RAISE(ABORT, 'ballots: the round is closed'); END;
CREATE TRIGGER ballots_no_update BEFORE UPDATE ON ballots
WHEN (SELECT state FROM collection_rounds WHERE id = OLD.round_id) NOT IN ('draft', 'open')
  OR (SELECT state FROM collection_rounds WHERE id = NEW.round_id) NOT IN ('draft', 'open')
BEGIN SELECT RAISE(ABORT, 'ballots: the round is closed'); END;
CREATE TRIGGER ballots_no_delete BEFORE DELETE ON ballots
WHEN (SELECT state FROM collection_rounds WHERE id = OLD.round_id) NOT IN ('draft', 'open')
BEGIN SELECT RAISE(ABORT, 'ballots: the round is closed'); END;

CREATE TRIGGER suggestions_no_insert BEFORE INSERT ON suggestions
WHEN (SELECT r.state FROM ballots b JOIN collection_rounds r ON r.id = b.round_id
      WHERE b.id = NEW.ballot_id) NOT IN ('draft', 'open')
BEGIN SELECT RAISE(ABORT, 'suggestions: the round is closed'); END;
CREATE TRIGGER suggestions_no_update BEFORE UPDATE ON suggestions
WHEN (SELECT r.state FROM ballots b JOIN collection_rounds r ON r.id = b.round_id
      WHERE b.id = OLD.ballot_id) NOT IN ('draft', 'open')
  OR (SELECT r.state FROM ballots b JOIN collection_rounds r ON r.id = b.round_id
      WHERE b.id = NEW.ballot_id) NOT IN ('draft', 'open')
BEGIN SELECT RAISE(ABORT, 'suggestions: the round is closed'); END;
CREATE TRIGGER suggestions_no_delete BEFORE DELETE ON suggestions
WHEN (SELECT r.state FROM ballots b JOIN collection_rounds r ON r.id = b.round_id
      WHERE b.id = OLD.ballot_id) NOT IN ('draft', 'open')
BEGIN SELECT RAISE(ABORT, 'suggestions: the round is closed'); END;

-- The roll is frozen when the round opens: its rows never change or go. Late additions (with a
-- reason) are inserted while the round is open; a closed round's roll takes none.
CREATE TRIGGER round_roll_no_insert BEFORE INSERT ON round_roll
WHEN (SELECT state FROM collection_rounds WHERE id = NEW.round_id) NOT IN ('draft', 'open')
BEGIN SELECT RAISE(ABORT, 'round_roll: the round is closed'); END;
CREATE TRIGGER round_roll_no_update BEFORE UPDATE ON round_roll
WHEN (SELECT state FROM collection_rounds WHERE id = OLD.round_id) <> 'draft'
  OR (SELECT state FROM collection_rounds WHERE id = NEW.round_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'round_roll: the roll of an opened round never changes'); END;
CREATE TRIGGER round_roll_no_delete BEFORE DELETE ON round_roll
WHEN (SELECT state FROM collection_rounds WHERE id = OLD.round_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'round_roll: the roll of an opened round never changes'); END;

-- Council snapshots (000009). A motion's roll is taken when it opens (inserted while it is
-- open), marked with who was present at the close before the close, and never changes once the
-- motion is decided; it is never deleted. The tally is written once, just before the motion
-- leaves draft/open, and never changes. A meeting's roll is taken just before the meeting closes
-- and never changes. A vote is cast only on an open motion (never changed or deleted: above).
CREATE TRIGGER motion_roll_no_insert BEFORE INSERT ON motion_roll
WHEN (SELECT state FROM motions WHERE id = NEW.motion_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'motion_roll: a roll is taken while the motion is open'); END;
CREATE TRIGGER motion_roll_no_update BEFORE UPDATE ON motion_roll
WHEN (SELECT state FROM motions WHERE id = OLD.motion_id) NOT IN ('draft', 'open')
  OR NEW.motion_id <> OLD.motion_id
BEGIN SELECT RAISE(ABORT, 'motion_roll: the roll of a decided motion never changes'); END;
CREATE TRIGGER motion_roll_no_delete BEFORE DELETE ON motion_roll
BEGIN SELECT RAISE(ABORT, 'motion_roll: a roll is never deleted'); END;

CREATE TRIGGER motion_tallies_no_insert BEFORE INSERT ON motion_tallies
WHEN (SELECT state FROM motions WHERE id = NEW.motion_id) NOT IN ('draft', 'open')
BEGIN SELECT RAISE(ABORT, 'motion_tallies: a decided motion already has its tally'); END;
CREATE TRIGGER motion_tallies_no_update BEFORE UPDATE ON motion_tallies
BEGIN SELECT RAISE(ABORT, 'motion_tallies: a tally never changes'); END;
CREATE TRIGGER motion_tallies_no_delete BEFORE DELETE ON motion_tallies
BEGIN SELECT RAISE(ABORT, 'motion_tallies: a tally is never deleted'); END;

CREATE TRIGGER meeting_roll_no_insert BEFORE INSERT ON meeting_roll
WHEN (SELECT state FROM meetings WHERE id = NEW.meeting_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'meeting_roll: the roll of a closed meeting never changes'); END;
CREATE TRIGGER meeting_roll_no_update BEFORE UPDATE ON meeting_roll
BEGIN SELECT RAISE(ABORT, 'meeting_roll: a meeting roll never changes'); END;
CREATE TRIGGER meeting_roll_no_delete BEFORE DELETE ON meeting_roll
BEGIN SELECT RAISE(ABORT, 'meeting_roll: a meeting roll is never deleted'); END;

CREATE TRIGGER votes_no_insert BEFORE INSERT ON votes
WHEN (SELECT state FROM motions WHERE id = NEW.motion_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, 'votes: votes are cast only on open motions'); END;
