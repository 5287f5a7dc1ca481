-- The village's supervision phone (监督电话), printed on every A4 notice so a reader knows whom to
-- call about it. A setting the clerks change; not part of any notice's hash (a printed notice
-- shows the number as it was when printed). Empty until set.
ALTER TABLE villages ADD COLUMN supervision_phone TEXT NOT NULL DEFAULT '';
