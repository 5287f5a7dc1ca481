//! The supervisory board's page (村务监督委员会, 监事会): a read-only overview for supervisors of
//! one village — its collection rounds with roll size and ballots counted, the paper collection
//! sites with their closure certificates and any mismatch, and the objections to notices that
//! are unanswered past their due time. Supervisors watch; nothing here changes anything.

mod routes;
pub mod store;

pub use routes::configure;
