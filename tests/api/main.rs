//! The integration suite: the real app on a random port with a fresh database (SQLite file by
//! default, PostgreSQL when `MINYI_TEST_DATABASE_URL` is set), driven over HTTP.

mod helpers;

mod accounts;
mod admin;
mod authz;
mod caching;
mod collection;
mod collection_concurrency;
mod collection_lifecycle;
mod collection_paper;
mod collection_races;
mod collection_roll;
mod collection_tally;
mod council;
mod council_approval;
mod council_database;
mod council_members;
mod council_once;
mod council_races;
mod council_record;
mod durability;
mod edges;
mod forms_once;
mod group_commit;
mod households;
mod kiosk;
mod kiosk_expiry;
mod ledger;
mod ledger_database;
mod ledger_races;
mod ledger_vouchers;
mod mail;
mod notices;
mod notices_households;
mod notices_objections;
mod notices_races;
mod projects;
mod promises;
mod reviews;
mod reviews_flags;
mod reviews_privacy;
mod schema;
mod security;
mod sorting;
mod supervision;
