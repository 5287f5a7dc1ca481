//! The projects part's rules, with no HTTP or SQL: the lifecycle state machine
//! ([`lifecycle`]), the plan's arithmetic and completeness ([`plan`]) and what execution and
//! acceptance require ([`work`]).

pub mod lifecycle;
pub mod plan;
pub mod work;

pub use lifecycle::{Event, Refusal, transition};
