-- An administrator reset this account's second factor: it enrols again at its next sign-in,
-- whatever its roles (see accounts::two_factor_reset).
ALTER TABLE staff ADD COLUMN must_enrol_second_factor BOOLEAN NOT NULL DEFAULT 0;
