//! The villagers' council (议事会): members, meetings with quorum, motions with their decision
//! rule, roll-call votes with recusal, and minutes signed by every member present.

pub mod candidate_store;
pub mod domain;
pub mod member;
pub mod minutes;
mod minutes_routes;
mod motion_routes;
pub mod public;
pub mod routes;
pub mod settings;
mod shortlist;
pub mod sorting;
pub mod sorting_routes;
pub mod store;
pub mod tally;
