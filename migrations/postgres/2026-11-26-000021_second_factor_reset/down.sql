ALTER TABLE staff DROP COLUMN must_enrol_second_factor;
