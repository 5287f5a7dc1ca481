//! The supervisory board's page (村务监督委员会, 监事会): a read-only overview for supervisors of
//! one village — its collection rounds with roll size and ballots counted, the paper collection
//! sites with their closure certificates and any mismatch, and the objections to notices that
//! are unanswered past their due time; per round the roll changes, voids, paper typings waiting,
//! differing or settled. Supervisors watch; the one thing they write is a remark on a round
//! (`remarks.rs`), shown to the clerks and the public.

mod records;
pub mod remarks;
mod routes;
pub mod store;

pub use routes::configure;
