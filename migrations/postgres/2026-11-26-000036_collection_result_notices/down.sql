-- Refused while a `collection_result` notice exists: no published notice is lost going down.
ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
ALTER TABLE notices ADD CONSTRAINT notices_kind_check CHECK (kind IN ('shortlist', 'council_result', 'plan', 'fund_statement', 'acceptance', 'review_result', 'general'));
