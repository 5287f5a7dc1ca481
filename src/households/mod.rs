//! Households (户): the voting unit. Clerks register, edit, deactivate and import them and reset
//! their PINs; households sign in with 户号 + PIN at the kiosk or on their phone.

pub mod access;
pub mod domain;
pub mod import;
pub mod routes;
pub mod store;

pub use domain::{Status, mask_name};
