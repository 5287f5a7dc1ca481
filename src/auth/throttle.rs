//! Login throttling as plain rules: attempts are counted per key (an account, a household or a
//! client address) in a window. The count is taken *before* the secret is checked, in one
//! statement in the database (see `auth::store::take_attempt`), and the decision is made on
//! the number that statement returns, so parallel attempts cannot all see "not locked yet".

use chrono::{NaiveDateTime, TimeDelta};

/// How many attempts in how long a key may make. The attempt that reaches the limit starts
/// the window again, so a lock lasts one whole window from the last allowed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub max_failures: i32,
    pub window: TimeDelta,
}

impl Policy {
    /// Per account or household: five wrong tries in 15 minutes lock it for 15 minutes.
    pub const PER_ACCOUNT: Policy = Policy {
        max_failures: 5,
        window: TimeDelta::minutes(15),
    };
    /// Per client address: past 30 failures in 15 minutes every further attempt from the
    /// address waits (`Settings::address_delay`) before it is checked. It never refuses a
    /// correct secret by itself: a village hall shares one address.
    pub const PER_ADDRESS: Policy = Policy {
        max_failures: 30,
        window: TimeDelta::minutes(15),
    };

    /// A stored window that started at or before this instant has run out.
    pub fn cutoff(self, now: NaiveDateTime) -> NaiveDateTime {
        now - self.window
    }
}

/// Whether the attempt with this number (1 for the first in the window, counted atomically
/// before checking) may be checked at all.
pub fn may_check(attempt: i32, policy: Policy) -> bool {
    attempt <= policy.max_failures
}

/// Whether an address with this many failures in the window is slowed down.
pub fn address_is_busy(failures: i32, policy: Policy) -> bool {
    failures >= policy.max_failures
}

/// What the counting statement stores for a key with `stored` (failures, window start) at
/// `now`; the SQL in `auth::store` does the same in one statement. Used by tests to keep the two
/// in step.
pub fn next_count(
    stored: Option<(i32, NaiveDateTime)>,
    now: NaiveDateTime,
    policy: Policy,
) -> (i32, NaiveDateTime) {
    match stored {
        Some((failures, started)) if started > policy.cutoff(now) => {
            let failures = failures + 1;
            let started = if failures == policy.max_failures {
                now
            } else {
                started
            };
            (failures, started)
        }
        _ => (1, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + minute * 60, 0)
            .expect("valid time")
            .naive_utc()
    }

    fn attempts(n: i32, minute: i64) -> (i32, NaiveDateTime) {
        let mut stored = None;
        for _ in 0..n {
            stored = Some(next_count(stored, at(minute), Policy::PER_ACCOUNT));
        }
        stored.expect("at least one")
    }

    #[test]
    fn the_fifth_attempt_is_checked_the_sixth_is_not() {
        let five = attempts(5, 0);
        assert!(may_check(five.0, Policy::PER_ACCOUNT));
        let six = next_count(Some(five), at(1), Policy::PER_ACCOUNT);
        assert_eq!(six.0, 6);
        assert!(!may_check(six.0, Policy::PER_ACCOUNT));
    }

    #[test]
    fn a_lock_lasts_a_whole_window_from_the_last_allowed_attempt() {
        let mut stored = Some(attempts(4, 0));
        stored = Some(next_count(stored, at(10), Policy::PER_ACCOUNT));
        assert_eq!(
            stored,
            Some((5, at(10))),
            "the fifth attempt restarts the window"
        );
        let still = next_count(stored, at(24), Policy::PER_ACCOUNT);
        assert!(!may_check(still.0, Policy::PER_ACCOUNT));
        let later = next_count(stored, at(26), Policy::PER_ACCOUNT);
        assert_eq!(later, (1, at(26)));
    }

    #[test]
    fn an_old_window_starts_counting_again() {
        let four = attempts(4, 0);
        assert_eq!(
            next_count(Some(four), at(20), Policy::PER_ACCOUNT),
            (1, at(20))
        );
    }

    #[test]
    fn a_busy_address_is_slowed_not_locked() {
        assert!(!address_is_busy(29, Policy::PER_ADDRESS));
        assert!(address_is_busy(30, Policy::PER_ADDRESS));
    }
}
