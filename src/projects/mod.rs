//! Projects (项目): from the council's approval through the plan (方案), its vote and notice,
//! execution and supervision, to acceptance (验收). The ledger asks [`scope`] whether and how
//! much a project may spend; reviews list the projects of a half-year.

pub mod attach;
pub mod commands;
pub mod demo;
pub mod domain;
pub mod forms;
pub mod plan_store;
pub mod public;
pub mod routes;
pub mod scope;
pub mod states;
pub mod store;
pub mod timeline;
pub mod work_commands;
pub mod work_routes;
pub mod work_store;
