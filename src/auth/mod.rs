//! Authentication shared by staff (username + password) and households (户号 + PIN): argon2id
//! hashing on a bounded pool, and one login check with throttling per account and per address.

pub mod common;
pub mod password;
pub mod sessions;
pub mod store;
pub mod throttle;
pub mod totp;
pub mod two_factor;

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

/// Checks `secret` against `stored_hash` (None: no such account) under throttling.
///
/// The attempt is counted against the account key (for example `staff:clerk1` or
/// `household:3:0107`) *before* the secret is checked, in one statement, and only attempts
/// numbered within the limit are checked: 60 simultaneous wrong secrets lead to at most five
/// checks, on any number of app servers. A success clears the account's count.
///
/// The client address has its own count of failures; past its limit every attempt from the
/// address waits `Settings::address_delay` before it is checked, but a correct secret for an
/// account that is not itself locked still succeeds (a village hall shares one address).
pub async fn check_secret(
    state: &AppState,
    account_key: String,
    address: &str,
    stored_hash: Option<String>,
    secret: String,
) -> Result<Check, AppError> {
    let address_key = format!("addr:{address}");
    let now = crate::db::now();
    let (account, counted_address) = (account_key.clone(), address_key.clone());
    let (attempt, address_failures) = state
        .db
        .run(move |conn| {
            let attempt = store::count(conn, &account, now, throttle::Policy::PER_ACCOUNT)?;
            let failures =
                store::failures(conn, &counted_address, now, throttle::Policy::PER_ADDRESS)?;
            Ok::<_, AppError>((attempt, failures))
        })
        .await?;
    if !throttle::may_check(attempt, throttle::Policy::PER_ACCOUNT) {
        return Ok(Check::Locked);
    }
    if throttle::address_is_busy(address_failures, throttle::Policy::PER_ADDRESS) {
        tokio::time::sleep(state.settings.address_delay).await;
    }
    let ok = state.passwords.verify_or_decoy(secret, stored_hash).await?;
    state
        .db
        .run(move |conn| {
            if ok {
                store::clear(conn, &account_key).map(|_| ())
            } else {
                let now = crate::db::now();
                store::count(conn, &address_key, now, throttle::Policy::PER_ADDRESS).map(|_| ())
            }
        })
        .await?;
    Ok(if ok { Check::Accepted } else { Check::Rejected })
}
