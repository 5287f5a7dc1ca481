//! Collection rounds (民主征集, 一户一票): a clerk opens a round for a village, every household on
//! the frozen roll casts one ballot of suggestions at the kiosk, on its phone or on paper, and
//! after closing the results are public with every receipt code.

pub mod ballot;
pub mod ballot_store;
pub mod domain;
pub mod paper;
pub mod store;
pub mod results;
