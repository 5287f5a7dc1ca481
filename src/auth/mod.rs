//! Authentication shared by staff (username + password) and households (户号 + PIN): argon2id
//! hashing on a bounded pool, and one login check with throttling per account and per address.

pub mod password;
pub mod store;
pub mod throttle;

use crate::error::AppError;
use crate::web::AppState;
use password::PasswordError;

impl From<PasswordError> for AppError {
    fn from(err: PasswordError) -> Self {
        match err {
            PasswordError::Busy => AppError::Busy,
            PasswordError::Failed(msg) => AppError::Internal(anyhow::anyhow!(msg)),
        }
    }
}

/// The result of checking a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    Accepted,
    Rejected,
    /// Too many failures for this account or this address; nothing was checked.
    Locked,
}

/// Checks `secret` against `stored_hash` (None: no such account) under throttling. The account
/// key (for example `staff:clerk1` or `household:3:0107`) and the client address each have a
/// counter; a failure counts against both, a success clears the account's.
pub async fn check_secret(
    state: &AppState,
    account_key: String,
    address: &str,
    stored_hash: Option<String>,
    secret: String,
) -> Result<Check, AppError> {
    let address_key = format!("addr:{address}");
    let keys = [account_key.clone(), address_key.clone()];
    let locked = state
        .db
        .run(move |conn| store::any_locked(conn, &keys, crate::db::now()))
        .await?;
    if locked {
        return Ok(Check::Locked);
    }
    let ok = state.passwords.verify_or_decoy(secret, stored_hash).await?;
    state
        .db
        .run(move |conn| {
            let now = crate::db::now();
            if ok {
                store::clear(conn, &account_key)
            } else {
                store::record_failure(conn, &account_key, now, throttle::Policy::PER_ACCOUNT)?;
                store::record_failure(conn, &address_key, now, throttle::Policy::PER_ADDRESS)
            }
        })
        .await?;
    Ok(if ok { Check::Accepted } else { Check::Rejected })
}
