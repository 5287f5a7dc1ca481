//! Public notices (公示): every part publishes through here (shortlists, council results, plans,
//! fund statements, acceptances, review results). A published notice never changes; it can only
//! be superseded by a new version. Households may object during the notice period; every
//! objection gets a public written answer; the gate holds a subject until all is settled.

pub mod answers;
pub mod commands;
pub mod domain;
pub mod household;
pub mod objecting;
mod objection_store;
pub mod periods;
pub mod public;
pub mod reminders;
pub mod routes;
pub mod states;
pub mod store;
