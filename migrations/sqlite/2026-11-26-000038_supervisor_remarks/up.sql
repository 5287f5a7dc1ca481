-- Remarks the supervisory board (监事会) records on a collection round: who (with the name as it
-- was that day), when and what. Shown to the clerks and on the round's public page; a remark is
-- never changed or withdrawn (a later remark may add to it).
CREATE TABLE supervisor_remarks (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES collection_rounds(id),
    staff_id BIGINT NOT NULL REFERENCES staff(id),
    staff_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX supervisor_remarks_round ON supervisor_remarks (round_id, id);

CREATE TRIGGER supervisor_remarks_no_update BEFORE UPDATE ON supervisor_remarks
BEGIN SELECT RAISE(ABORT, 'supervisor_remarks: a remark never changes'); END;
CREATE TRIGGER supervisor_remarks_no_delete BEFORE DELETE ON supervisor_remarks
BEGIN SELECT RAISE(ABORT, 'supervisor_remarks: a remark never changes'); END;
