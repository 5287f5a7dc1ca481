-- Council (and other) roles may run for a term: after term_ends_at the assignment no longer counts.
ALTER TABLE role_assignments ADD COLUMN term_ends_at TIMESTAMP;
