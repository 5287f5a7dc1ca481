ALTER TABLE villages DROP COLUMN supervision_phone;
