-- A household taken off a frozen roll (moved away, merged, registered twice), with the clerk's
-- written reason. The frozen roll itself never changes; a removal is a row of its own, kept for
-- good so the public accounting (frozen size + additions − removals) always adds up.
CREATE TABLE roll_removals (
    round_id BIGINT NOT NULL REFERENCES collection_rounds(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    reason TEXT NOT NULL,
    removed_by BIGINT NOT NULL REFERENCES staff(id),
    removed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, household_id)
);

CREATE FUNCTION minyi_guard_roll_removals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF (SELECT state FROM collection_rounds WHERE id = NEW.round_id) <> 'open' THEN
            RAISE EXCEPTION 'roll_removals: only an open round''s roll takes a removal';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'roll_removals: a removal never changes';
END;
$$;
CREATE TRIGGER roll_removals_no_insert BEFORE INSERT ON roll_removals
    FOR EACH ROW EXECUTE FUNCTION minyi_guard_roll_removals();
CREATE TRIGGER roll_removals_no_update BEFORE UPDATE ON roll_removals
    FOR EACH ROW EXECUTE FUNCTION minyi_guard_roll_removals();
CREATE TRIGGER roll_removals_no_delete BEFORE DELETE ON roll_removals
    FOR EACH ROW EXECUTE FUNCTION minyi_guard_roll_removals();
CREATE TRIGGER roll_removals_no_truncate BEFORE TRUNCATE ON roll_removals
    FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();
