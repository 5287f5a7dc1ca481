//! Staff accounts: who they are, their roles and the places those cover, signing in and out,
//! changing one's password, and the administrator's account pages.

pub mod admin;
mod admin_changes;
pub mod domain;
pub mod locks;
pub mod notify;
mod password;
pub mod routes;
pub mod second_factor_reset;
mod sessions;
pub mod store;
mod two_factor;
