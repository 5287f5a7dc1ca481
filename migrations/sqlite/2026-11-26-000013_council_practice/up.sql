-- A meeting's agenda, fixed when it is convened: one item per line, sent with the invitation.
ALTER TABLE meetings ADD COLUMN agenda TEXT NOT NULL DEFAULT '';
