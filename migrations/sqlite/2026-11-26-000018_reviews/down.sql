DROP TABLE review_reconsultations;
DROP TABLE review_flags;
DROP TABLE review_answers;
DROP TABLE review_participation;
DROP TABLE review_roll;
DROP TABLE review_items;
DROP TABLE reviews;
DROP TABLE review_settings;
