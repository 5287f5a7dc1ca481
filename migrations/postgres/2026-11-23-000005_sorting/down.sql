ALTER TABLE motions DROP COLUMN candidate_id;
DROP TABLE projects;
DROP TABLE candidate_suggestions;
DROP TABLE candidates;
