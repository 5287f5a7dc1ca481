-- Semiannual satisfaction reviews (监督评议会): one anonymous response per household and review.
-- Who took part (review_participation) and what was answered (review_answers) are separate
-- tables with nothing in common but the review's items: an answer has a random TEXT id, no
-- household, no time of day, so nothing in it reveals the order of the households.

CREATE TABLE review_settings (
    village_id BIGINT NOT NULL PRIMARY KEY REFERENCES villages(id),
    formula TEXT NOT NULL CHECK (formula IN ('satisfied_or_basic', 'satisfied_only')),
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE reviews (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    year INTEGER NOT NULL,
    half TEXT NOT NULL CHECK (half IN ('first', 'second')),
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'published')),
    formula TEXT NOT NULL CHECK (formula IN ('satisfied_or_basic', 'satisfied_only')),
    roll_size INTEGER,
    notice_id BIGINT REFERENCES notices(id),
    created_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    opened_at TIMESTAMP,
    closed_at TIMESTAMP,
    published_at TIMESTAMP
);
CREATE INDEX reviews_village ON reviews (village_id, id);

CREATE TABLE review_items (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('project', 'resolution', 'free')),
    project_id BIGINT REFERENCES projects(id),
    motion_id BIGINT REFERENCES motions(id),
    title TEXT NOT NULL,
    carried_from BIGINT REFERENCES review_items(id),
    UNIQUE (review_id, position)
);

CREATE TABLE review_roll (
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    PRIMARY KEY (review_id, household_id)
);

CREATE TABLE review_participation (
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    channel TEXT NOT NULL CHECK (channel IN ('kiosk', 'phone', 'paper')),
    entered_by BIGINT REFERENCES staff(id),
    responded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (review_id, household_id)
);

CREATE TABLE review_answers (
    id TEXT NOT NULL PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES review_items(id),
    rating TEXT NOT NULL CHECK (rating IN ('satisfied', 'basic', 'dissatisfied', 'unknown')),
    comment TEXT,
    answered_on DATE NOT NULL
);

-- An item whose rate fell under the threshold at the close, and the committee's answer to it.
CREATE TABLE review_flags (
    item_id BIGINT NOT NULL PRIMARY KEY REFERENCES review_items(id),
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    favourable INTEGER NOT NULL,
    valid INTEGER NOT NULL,
    flagged_at TIMESTAMP NOT NULL
);

CREATE TABLE review_reconsultations (
    item_id BIGINT NOT NULL PRIMARY KEY REFERENCES review_flags(item_id),
    held_on DATE NOT NULL,
    method TEXT NOT NULL,
    heard TEXT NOT NULL,
    changes TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES staff(id),
    recorded_at TIMESTAMP NOT NULL
);

-- Closed means closed: the same trigger names as on SQLite, one guard function per table.
CREATE FUNCTION minyi_guard_review_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF (SELECT r.state FROM reviews r JOIN review_items i ON i.review_id = r.id
            WHERE i.id = NEW.item_id FOR SHARE OF r) IS DISTINCT FROM 'open' THEN
            RAISE EXCEPTION 'review_answers: answers are taken while the review is open';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'review_answers: an answer never changes';
    END IF;
    RAISE EXCEPTION 'review_answers: answers are never deleted';
END;
$$;
CREATE TRIGGER review_answers_no_insert BEFORE INSERT ON review_answers
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_answers();
CREATE TRIGGER review_answers_no_update BEFORE UPDATE ON review_answers
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_answers();
CREATE TRIGGER review_answers_no_delete BEFORE DELETE ON review_answers
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_answers();
CREATE TRIGGER review_answers_no_truncate BEFORE TRUNCATE ON review_answers
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_review_participation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF (SELECT state FROM reviews WHERE id = NEW.review_id FOR SHARE) IS DISTINCT FROM 'open' THEN
            RAISE EXCEPTION 'review_participation: responses are taken while the review is open';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'review_participation: a response never changes';
    END IF;
    RAISE EXCEPTION 'review_participation: responses are never deleted';
END;
$$;
CREATE TRIGGER review_participation_no_insert BEFORE INSERT ON review_participation
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_participation();
CREATE TRIGGER review_participation_no_update BEFORE UPDATE ON review_participation
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_participation();
CREATE TRIGGER review_participation_no_delete BEFORE DELETE ON review_participation
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_participation();
CREATE TRIGGER review_participation_no_truncate BEFORE TRUNCATE ON review_participation
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_review_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT state FROM reviews WHERE id = OLD.review_id) <> 'draft' THEN
        RAISE EXCEPTION 'review_items: the items of an opened review never change';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF (SELECT state FROM reviews WHERE id = NEW.review_id) <> 'draft' THEN
        RAISE EXCEPTION 'review_items: the items of an opened review never change';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER review_items_no_update BEFORE UPDATE ON review_items
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_items();
CREATE TRIGGER review_items_no_delete BEFORE DELETE ON review_items
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_items();
CREATE TRIGGER review_items_no_truncate BEFORE TRUNCATE ON review_items
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_review_roll() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT state FROM reviews WHERE id = OLD.review_id) <> 'draft' THEN
        RAISE EXCEPTION 'review_roll: the roll of an opened review never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER review_roll_no_update BEFORE UPDATE ON review_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_roll();
CREATE TRIGGER review_roll_no_delete BEFORE DELETE ON review_roll
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_roll();
CREATE TRIGGER review_roll_no_truncate BEFORE TRUNCATE ON review_roll
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_reviews() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.state = 'published' THEN
            RAISE EXCEPTION 'reviews: a published review never changes';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.state <> 'draft' THEN
        RAISE EXCEPTION 'reviews: only a draft review may be deleted';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
FOR EACH ROW EXECUTE FUNCTION minyi_guard_reviews();
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
FOR EACH ROW EXECUTE FUNCTION minyi_guard_reviews();
CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_review_flags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'review_flags: a flag never changes';
    END IF;
    RAISE EXCEPTION 'review_flags: a flag is never deleted';
END;
$$;
CREATE TRIGGER review_flags_no_update BEFORE UPDATE ON review_flags
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_flags();
CREATE TRIGGER review_flags_no_delete BEFORE DELETE ON review_flags
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_flags();
CREATE TRIGGER review_flags_no_truncate BEFORE TRUNCATE ON review_flags
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_review_reconsultations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'review_reconsultations: a recorded re-consultation never changes';
    END IF;
    RAISE EXCEPTION 'review_reconsultations: a recorded re-consultation is never deleted';
END;
$$;
CREATE TRIGGER review_reconsultations_no_update BEFORE UPDATE ON review_reconsultations
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_reconsultations();
CREATE TRIGGER review_reconsultations_no_delete BEFORE DELETE ON review_reconsultations
FOR EACH ROW EXECUTE FUNCTION minyi_guard_review_reconsultations();
CREATE TRIGGER review_reconsultations_no_truncate BEFORE TRUNCATE ON review_reconsultations
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

