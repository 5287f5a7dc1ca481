//! Households (户): the voting unit. Clerks register, edit, deactivate and import them and reset
//! their PINs; households sign in with 户号 + PIN at the kiosk or on their phone.

pub mod access;
mod alive;
mod bulk;
pub mod domain;
pub mod import;
mod pins;
pub mod routes;
pub mod store;

pub use domain::{Status, mask_name};

use crate::error::AppError;

/// What can go wrong in this part, each with the status and sentence a person gets.
#[derive(Debug, thiserror::Error)]
pub enum HouseholdError {
    /// No such household in this village (a wrong id, or one of another village).
    #[error("household not found")]
    NotFound,
    /// The village in the path does not exist.
    #[error("village not found")]
    UnknownVillage,
    /// Another clerk registered one of the imported 户号 while the import was being checked.
    #[error("import raced with another registration")]
    ImportRaced,
}

impl From<HouseholdError> for AppError {
    fn from(err: HouseholdError) -> Self {
        match err {
            HouseholdError::NotFound | HouseholdError::UnknownVillage => AppError::NotFound,
            HouseholdError::ImportRaced => AppError::Conflict("import.error.raced"),
        }
    }
}

/// The kiosk's keep-alive route (see `alive`).
pub fn configure_alive(cfg: &mut actix_web::web::ServiceConfig) {
    alive::configure(cfg);
}
