//! The villagers' council (议事会): members, meetings with quorum, motions with their decision
//! rule, roll-call votes with recusal, and minutes signed by every member present. Every write
//! is a command (`commands`, `motion_commands`, `member_commands`, `minutes_commands`,
//! `sorting_commands`) that locks what it depends on inside its one transaction; what a
//! decision was taken on is kept as a snapshot (`snapshot`) that the record is built from.

pub mod candidate_store;
pub mod commands;
pub mod decision;
pub mod demo;
pub mod domain;
pub mod invitation;
mod meeting_view;
pub mod member;
pub mod member_commands;
mod member_forms;
pub mod member_home;
pub mod minutes;
pub mod minutes_commands;
mod minutes_routes;
pub mod motion_commands;
mod motion_routes;
pub mod motion_store;
pub mod officers;
pub mod outcome;
pub mod public;
mod public_export;
pub mod routes;
pub mod settings;
mod shortlist;
pub mod snapshot;
pub mod sorting;
pub mod sorting_commands;
pub mod sorting_routes;
pub mod states;
pub mod store;
pub mod tally;
