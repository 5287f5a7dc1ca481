DROP TABLE paper_entries;
DROP TABLE suggestions;
DROP TABLE ballots;
DROP TABLE collection_sites;
DROP TABLE round_roll;
DROP TABLE collection_rounds;
