-- Sorting (梳理): candidate projects made from a closed round's suggestions, and the projects
-- the council approves.

CREATE TABLE candidates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    round_id BIGINT REFERENCES collection_rounds(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    -- NULL: the whole village; else one group.
    group_id BIGINT REFERENCES village_groups(id),
    rough_cost_fen BIGINT,
    -- 临时新增项目: added without source suggestions.
    temporary BOOLEAN NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('candidate', 'merged', 'approved', 'rejected')),
    merged_into BIGINT REFERENCES candidates(id),
    created_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX candidates_round ON candidates (round_id);

-- A suggestion sits in at most one candidate (the primary key).
CREATE TABLE candidate_suggestions (
    suggestion_id BIGINT NOT NULL PRIMARY KEY REFERENCES suggestions(id),
    candidate_id BIGINT NOT NULL REFERENCES candidates(id)
);
CREATE INDEX candidate_suggestions_candidate ON candidate_suggestions (candidate_id);

CREATE TABLE projects (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    candidate_id BIGINT NOT NULL UNIQUE REFERENCES candidates(id),
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('approved')),
    approved_by_motion BIGINT NOT NULL REFERENCES motions(id),
    created_at TIMESTAMP NOT NULL
);

ALTER TABLE motions ADD COLUMN candidate_id BIGINT REFERENCES candidates(id);
