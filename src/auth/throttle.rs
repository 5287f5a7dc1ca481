//! Login throttling as plain rules: failures are counted per key (an account, a household or a
//! client address) in a window; too many lock the key for a while. The store keeps the counters
//! in the database so every app server sees the same numbers.

use chrono::{NaiveDateTime, TimeDelta};

/// How many failures in how long lock a key, and for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub max_failures: i32,
    pub window: TimeDelta,
    pub lockout: TimeDelta,
}

impl Policy {
    /// Per account or household: five wrong tries in 15 minutes lock it for 15 minutes.
    pub const PER_ACCOUNT: Policy = Policy {
        max_failures: 5,
        window: TimeDelta::minutes(15),
        lockout: TimeDelta::minutes(15),
    };
    /// Per client address: generous, since a village hall shares one address, but it stops a
    /// script from walking through every 户号.
    pub const PER_ADDRESS: Policy = Policy {
        max_failures: 30,
        window: TimeDelta::minutes(15),
        lockout: TimeDelta::minutes(15),
    };
}

/// The stored counter for one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counter {
    pub failures: i32,
    pub window_started_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
}

/// Whether a login attempt may be checked at all right now.
pub fn is_locked(counter: Option<&Counter>, now: NaiveDateTime) -> bool {
    counter
        .and_then(|c| c.locked_until)
        .is_some_and(|until| now < until)
}

/// The counter after one more failure at `now`.
pub fn after_failure(counter: Option<&Counter>, now: NaiveDateTime, policy: Policy) -> Counter {
    let fresh = Counter {
        failures: 0,
        window_started_at: now,
        locked_until: None,
    };
    let current = match counter {
        // A window that has passed, or a lock that has run out, starts counting anew.
        Some(c) if now - c.window_started_at < policy.window && !lock_expired(c, now) => *c,
        _ => fresh,
    };
    let failures = current.failures + 1;
    Counter {
        failures,
        window_started_at: current.window_started_at,
        locked_until: (failures >= policy.max_failures).then(|| now + policy.lockout),
    }
}

fn lock_expired(counter: &Counter, now: NaiveDateTime) -> bool {
    counter.locked_until.is_some_and(|until| now >= until)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + minute * 60, 0)
            .expect("valid time")
            .naive_utc()
    }

    fn fail_times(n: i32, policy: Policy) -> Counter {
        let mut counter = None;
        for _ in 0..n {
            counter = Some(after_failure(counter.as_ref(), at(0), policy));
        }
        counter.expect("at least one failure")
    }

    #[test]
    fn locks_on_the_fifth_failure_not_before() {
        let four = fail_times(4, Policy::PER_ACCOUNT);
        assert!(!is_locked(Some(&four), at(0)));
        let five = after_failure(Some(&four), at(1), Policy::PER_ACCOUNT);
        assert_eq!(five.failures, 5);
        assert!(is_locked(Some(&five), at(1)));
        assert!(is_locked(Some(&five), at(15)));
        assert!(!is_locked(Some(&five), at(16)));
    }

    #[test]
    fn an_old_window_starts_counting_again() {
        let four = fail_times(4, Policy::PER_ACCOUNT);
        let later = after_failure(Some(&four), at(20), Policy::PER_ACCOUNT);
        assert_eq!(later.failures, 1);
        assert_eq!(later.window_started_at, at(20));
        assert!(!is_locked(Some(&later), at(20)));
    }

    #[test]
    fn after_a_lock_runs_out_one_failure_does_not_relock() {
        let locked = fail_times(5, Policy::PER_ACCOUNT);
        // Within the same window start but after the lock: counting starts anew.
        let policy = Policy {
            window: TimeDelta::hours(2),
            ..Policy::PER_ACCOUNT
        };
        let again = after_failure(Some(&locked), at(16), policy);
        assert_eq!(again.failures, 1);
        assert!(!is_locked(Some(&again), at(16)));
    }

    #[test]
    fn no_counter_means_not_locked() {
        assert!(!is_locked(None, at(0)));
        let first = after_failure(None, at(0), Policy::PER_ADDRESS);
        assert_eq!(first.failures, 1);
        assert_eq!(first.locked_until, None);
    }

    #[test]
    fn address_policy_is_more_generous() {
        let c = fail_times(29, Policy::PER_ADDRESS);
        assert!(!is_locked(Some(&c), at(0)));
        let c = after_failure(Some(&c), at(0), Policy::PER_ADDRESS);
        assert!(is_locked(Some(&c), at(0)));
    }
}
