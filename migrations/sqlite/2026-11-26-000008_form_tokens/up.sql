-- One-time tokens of create and publish forms: the first submission of a token records what it
-- created; a replay, double click or back-button resubmission lands on that instead of a copy.
CREATE TABLE form_submissions (
    token TEXT NOT NULL PRIMARY KEY,
    form TEXT NOT NULL,
    result_path TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
