DROP TABLE objections;
DROP TABLE notices;
DROP TABLE notice_periods;
DROP FUNCTION minyi_notice_frozen;
