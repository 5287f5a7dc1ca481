//! Collection rounds (民主征集, 一户一票): a clerk opens a round for a village, every household on
//! the frozen roll casts one ballot of suggestions at the kiosk, on its phone or on paper, and
//! after closing the results are public with every receipt code.

pub mod ballot;
pub mod ballot_store;
pub mod cast;
pub mod casting;
pub mod commands;
mod corrections;
pub mod demo;
pub mod domain;
pub mod handover;
pub mod paper;
pub mod paper_commands;
pub mod paper_forms;
mod paper_routes;
pub mod paper_store;
pub mod public;
mod receipt;
mod reconcile;
pub mod results;
pub mod results_notice;
pub mod roll_changes;
mod round;
pub mod routes;
mod sites;
pub mod store;
pub mod tally_store;
pub mod voids;

use crate::error::AppError;

/// What can go wrong in collection, each with the status and sentence a person gets.
#[derive(Debug, thiserror::Error)]
pub enum CollectionError {
    #[error("round not found")]
    RoundNotFound,
    #[error("round does not take ballots now")]
    NotAccepting,
    #[error("household not on the roll")]
    NotOnRoll,
    #[error("round cannot make that move")]
    Transition,
}

impl From<CollectionError> for AppError {
    fn from(err: CollectionError) -> Self {
        match err {
            CollectionError::RoundNotFound => AppError::NotFound,
            CollectionError::NotAccepting => AppError::Conflict("ballot.error.closed"),
            CollectionError::NotOnRoll => AppError::Conflict("ballot.error.not_on_roll"),
            CollectionError::Transition => AppError::Conflict("round.error.transition"),
        }
    }
}
