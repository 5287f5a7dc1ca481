//! Mail through an outbox: other parts enqueue a message in the same transaction as the change
//! that causes it; the sender delivers it later with retries and back-off, by SMTP when one is
//! configured, otherwise as `.eml` files in `data/outbox/` for an administrator to pick up.

pub mod outbox;
pub mod sender;

use chrono::TimeDelta;

/// After this many failed attempts a message is given up and shown as failed.
pub const MAX_ATTEMPTS: i32 = 8;

/// How long to wait after the `attempts`-th failure: 30 s, 1 min, 2 min, … capped at 6 hours.
pub fn backoff(attempts: i32) -> TimeDelta {
    let exponent = attempts.clamp(1, 20) - 1;
    let seconds = 30i64.saturating_mul(1i64 << exponent);
    TimeDelta::seconds(seconds.min(6 * 60 * 60))
}

/// Whether to try again after the `attempts`-th failure.
pub fn should_retry(attempts: i32) -> bool {
    attempts < MAX_ATTEMPTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), TimeDelta::seconds(30));
        assert_eq!(backoff(2), TimeDelta::seconds(60));
        assert_eq!(backoff(3), TimeDelta::seconds(120));
        assert_eq!(backoff(12), TimeDelta::hours(6));
        assert_eq!(backoff(1000), TimeDelta::hours(6));
        assert_eq!(backoff(0), TimeDelta::seconds(30));
    }

    #[test]
    fn gives_up_after_the_last_attempt() {
        assert!(should_retry(1));
        assert!(should_retry(MAX_ATTEMPTS - 1));
        assert!(!should_retry(MAX_ATTEMPTS));
    }
}
