//! Places: townships, their villages and the villages' groups, and the public pages of each
//! village (the landing page of every other part of the cycle).

pub mod phone;
pub mod routes;
pub mod store;
