//! The earmarked-fund ledger (专项资金专账): funds per village and year, entries recorded by a
//! clerk and posted by a supervisor who did not record them, each posted entry hash-chained to
//! the one before; the public disclosure, the township auditor's workspace and `minyi verify`.

pub mod auditor;
pub mod auditor_vouchers;
pub mod commands;
pub mod domain;
mod entry_reads;
mod entry_writes;
pub mod fixture;
pub mod public;
pub mod review;
pub mod routes;
pub mod seed;
pub mod statement;
pub mod store;
pub mod verify;
pub mod view;
pub mod vouchers;
