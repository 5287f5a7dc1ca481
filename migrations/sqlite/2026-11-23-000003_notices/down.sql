DROP TABLE objections;
DROP TABLE notices;
DROP TABLE notice_periods;
