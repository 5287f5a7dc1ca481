-- A closed round's tally, written once in the transaction that closes it (rounds::advance):
-- per group the households on the roll (less removals) and the counted ballots, per category
-- the counted suggestions. Ballots, suggestions and the roll of a closed round never change
-- (the triggers of 000002 and 000019), so neither does their count; the results page reads
-- these few rows instead of counting a million ballots on every request.
CREATE TABLE round_group_tallies (
    round_id BIGINT NOT NULL REFERENCES collection_rounds(id),
    group_id BIGINT NOT NULL REFERENCES village_groups(id),
    roll BIGINT NOT NULL,
    ballots BIGINT NOT NULL,
    PRIMARY KEY (round_id, group_id)
);
CREATE TABLE round_category_tallies (
    round_id BIGINT NOT NULL REFERENCES collection_rounds(id),
    category TEXT NOT NULL,
    suggestions BIGINT NOT NULL,
    PRIMARY KEY (round_id, category)
);

-- Rounds closed before this migration get their tally now, counted as the page counted them.
INSERT INTO round_group_tallies (round_id, group_id, roll, ballots)
SELECT g.round_id, g.group_id,
    (SELECT COUNT(*) FROM round_roll rr WHERE rr.round_id = g.round_id AND rr.group_id = g.group_id
        AND NOT EXISTS (SELECT 1 FROM roll_removals rm
            WHERE rm.round_id = rr.round_id AND rm.household_id = rr.household_id)),
    (SELECT COUNT(*) FROM ballots b WHERE b.round_id = g.round_id AND b.group_id = g.group_id
        AND b.voided_at IS NULL)
FROM (SELECT rr.round_id, rr.group_id FROM round_roll rr
      WHERE NOT EXISTS (SELECT 1 FROM roll_removals rm
          WHERE rm.round_id = rr.round_id AND rm.household_id = rr.household_id)
      UNION
      SELECT b.round_id, b.group_id FROM ballots b WHERE b.voided_at IS NULL) g
JOIN collection_rounds r ON r.id = g.round_id
WHERE r.state IN ('closed', 'published');
INSERT INTO round_category_tallies (round_id, category, suggestions)
SELECT b.round_id, s.category, COUNT(*)
FROM suggestions s
JOIN ballots b ON b.id = s.ballot_id AND s.version = b.version
JOIN collection_rounds r ON r.id = b.round_id
WHERE b.voided_at IS NULL AND r.state IN ('closed', 'published')
GROUP BY b.round_id, s.category;

CREATE TRIGGER round_group_tallies_no_insert BEFORE INSERT ON round_group_tallies
WHEN (SELECT state FROM collection_rounds WHERE id = NEW.round_id) <> 'closed'
BEGIN SELECT RAISE(ABORT, 'round_group_tallies: a tally is written when the round closes'); END;
CREATE TRIGGER round_group_tallies_no_update BEFORE UPDATE ON round_group_tallies
BEGIN SELECT RAISE(ABORT, 'round_group_tallies: a closed round''s tally never changes'); END;
CREATE TRIGGER round_group_tallies_no_delete BEFORE DELETE ON round_group_tallies
BEGIN SELECT RAISE(ABORT, 'round_group_tallies: a closed round''s tally never changes'); END;
CREATE TRIGGER round_category_tallies_no_insert BEFORE INSERT ON round_category_tallies
WHEN (SELECT state FROM collection_rounds WHERE id = NEW.round_id) <> 'closed'
BEGIN SELECT RAISE(ABORT, 'round_category_tallies: a tally is written when the round closes'); END;
CREATE TRIGGER round_category_tallies_no_update BEFORE UPDATE ON round_category_tallies
BEGIN SELECT RAISE(ABORT, 'round_category_tallies: a closed round''s tally never changes'); END;
CREATE TRIGGER round_category_tallies_no_delete BEFORE DELETE ON round_category_tallies
BEGIN SELECT RAISE(ABORT, 'round_category_tallies: a closed round''s tally never changes'); END;
