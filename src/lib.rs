//! Minyi (民意): one household, one ballot; council votes with quorum and roll call; public
//! notices; an open, hash-chained ledger for a village's earmarked public-service fund.
//!
//! Layers go one way: `web` handlers (in each part's `routes.rs`) → the part's `domain.rs`
//! (rules as plain functions) and `store.rs` (diesel). Parts of the cycle each have a folder;
//! shared infrastructure sits beside them. See `docs/architecture.md`.

pub mod accounts;
pub mod app;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod collection;
pub mod config;
pub mod council;
pub mod db;
pub mod demo;
pub mod error;
pub mod households;
pub mod i18n;
pub mod ledger;
pub mod mail;
pub mod money;
pub mod notices;
pub mod projects;
pub mod reviews;
pub mod secrets;
pub mod supervision;
pub mod time;
pub mod validation;
pub mod villages;
pub mod web;
