-- A notice kind for a collection round's results (征集结果公示, issue 10). PostgreSQL swaps the
-- CHECK constraint in place; rows, indexes and triggers stay as they are.
ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
ALTER TABLE notices ADD CONSTRAINT notices_kind_check CHECK (kind IN ('shortlist', 'council_result', 'plan', 'fund_statement', 'acceptance', 'review_result', 'collection_result', 'general'));
