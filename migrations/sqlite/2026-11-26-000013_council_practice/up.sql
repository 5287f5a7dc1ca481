-- A meeting's agenda, fixed when it is convened: one item per line, sent with the invitation.
ALTER TABLE meetings ADD COLUMN agenda TEXT NOT NULL DEFAULT '';

-- A present member's refusal to sign the minutes (拒签), recorded by the clerk with the reason:
-- the minutes lock once every present member has signed or refused. Like a signature it is taken
-- only on unlocked minutes, never changed, and kept once the minutes lock (rewriting unsigned
-- minutes clears it with the signatures).
CREATE TABLE minute_refusals (
    meeting_id BIGINT NOT NULL REFERENCES minutes(meeting_id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    reason TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES staff(id),
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (meeting_id, staff_id)
);
CREATE TRIGGER minute_refusals_no_insert BEFORE INSERT ON minute_refusals
WHEN NOT EXISTS (
    SELECT 1 FROM minutes WHERE meeting_id = NEW.meeting_id AND locked_at IS NULL
)
BEGIN SELECT RAISE(ABORT, 'minute_refusals: only unlocked minutes can be refused'); END;
CREATE TRIGGER minute_refusals_no_update BEFORE UPDATE ON minute_refusals
BEGIN SELECT RAISE(ABORT, 'minute_refusals: a refusal never changes'); END;
CREATE TRIGGER minute_refusals_no_delete BEFORE DELETE ON minute_refusals
WHEN EXISTS (
    SELECT 1 FROM minutes WHERE meeting_id = OLD.meeting_id AND locked_at IS NOT NULL
)
BEGIN SELECT RAISE(ABORT, 'minute_refusals: refusals of locked minutes are kept'); END;

-- Attendance over time: every arrival and departure the clerk records during a meeting, with
-- its time (the attendance table keeps only the latest status of each member).
CREATE TABLE attendance_changes (
    id INTEGER PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'leave')),
    recorded_by BIGINT NOT NULL REFERENCES staff(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX attendance_changes_meeting ON attendance_changes (meeting_id, recorded_at);
