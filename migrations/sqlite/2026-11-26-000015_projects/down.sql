DROP TABLE attachments;
DROP TABLE plan_participants;
DROP TABLE plan_funding;
DROP TABLE plan_budget_lines;
DROP TABLE project_plans;
CREATE TABLE projects_old (
    id INTEGER PRIMARY KEY,
    village_id BIGINT NOT NULL REFERENCES villages(id),
    candidate_id BIGINT NOT NULL UNIQUE REFERENCES candidates(id),
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('approved')),
    approved_by_motion BIGINT NOT NULL REFERENCES motions(id),
    created_at TIMESTAMP NOT NULL
);
INSERT INTO projects_old SELECT id, village_id, candidate_id, title, 'approved', approved_by_motion,
    created_at FROM projects;
DROP TABLE projects;
ALTER TABLE projects_old RENAME TO projects;
