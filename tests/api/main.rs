//! The integration suite: the real app on a random port with a fresh database (SQLite file by
//! default, PostgreSQL when `MINYI_TEST_DATABASE_URL` is set), driven over HTTP.

mod helpers;

mod accounts;
mod admin;
mod authz;
mod collection;
mod council;
mod edges;
mod households;
mod kiosk;
mod mail;
mod notices;
mod promises;
mod schema;
mod security;
mod sorting;
