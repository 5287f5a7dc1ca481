DROP TABLE staff_recovery_codes;
DROP TABLE staff_totp;
DROP TABLE audit_chain_head;
ALTER TABLE audit_events DROP COLUMN hash;
ALTER TABLE audit_events DROP COLUMN prev_hash;
ALTER TABLE staff DROP COLUMN must_change_password;
DROP TABLE session_epochs;
