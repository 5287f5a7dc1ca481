ALTER TABLE role_assignments DROP COLUMN term_ends_at;
