//! Semiannual satisfaction reviews (监督评议会): a clerk creates a review of a half-year with the
//! period's projects, passed resolutions and free items; households on the roll frozen at
//! opening rate each item once (kiosk, phone, or a paper sheet typed by a clerk); who took part
//! is stored apart from what was answered; after the close the results, charts and flags of
//! items under 1/3 are published, and a flag stays until the committee records a
//! re-consultation.

pub mod answer_store;
pub mod commands;
pub mod demo;
pub mod domain;
pub mod flag_store;
pub mod item_store;
pub mod project;
pub mod public;
pub mod responding;
pub mod results;
pub mod routes;
mod staff_paper;
pub mod store;

use crate::error::AppError;

/// What can go wrong in reviews, each with the status and sentence a person gets.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("review not found")]
    NotFound,
    #[error("review does not take responses now")]
    NotOpen,
    #[error("household not on the roll")]
    NotOnRoll,
    #[error("household already responded")]
    AlreadyResponded,
}

impl From<ReviewError> for AppError {
    fn from(err: ReviewError) -> Self {
        match err {
            ReviewError::NotFound => AppError::NotFound,
            ReviewError::NotOpen => AppError::Conflict("review.error.not_open"),
            ReviewError::NotOnRoll => AppError::Conflict("review.error.not_on_roll"),
            ReviewError::AlreadyResponded => AppError::Conflict("review.error.already"),
        }
    }
}

/// Every review route.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    routes::configure(cfg);
    staff_paper::configure(cfg);
    responding::configure(cfg);
    public::configure(cfg);
}
