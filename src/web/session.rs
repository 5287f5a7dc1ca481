//! Who is signed in, kept in the signed and encrypted session cookie, with the session generation
//! it was issued under (see `auth::sessions`: the generation lives in the database, so several
//! app servers agree when a session has been ended). Idle sessions expire on the server side:
//! the last-seen time travels in the cookie and is checked on every request.

use std::time::Duration;

use actix_session::Session;
use serde::{Deserialize, Serialize};

const WHO: &str = "who";
const SEEN: &str = "seen";
const EPOCH: &str = "epoch";
const PENDING: &str = "pending";

/// How long a correct password waits for its second factor.
const PENDING_SECS: i64 = 300;

/// A password accepted, its second factor not yet: who, where to go after, since when.
#[derive(Serialize, Deserialize)]
struct Pending {
    who: Who,
    next: String,
    since: i64,
}

/// The signed-in party. Households are either at a shared kiosk or on their own device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Who {
    Staff {
        id: i64,
        label: String,
    },
    Household {
        id: i64,
        village_id: i64,
        label: String,
        kiosk: bool,
    },
}

impl Who {
    pub fn label(&self) -> &str {
        match self {
            Who::Staff { label, .. } | Who::Household { label, .. } => label,
        }
    }
}

/// Idle limits per kind of session.
#[derive(Clone, Copy, Debug)]
pub struct IdleLimits {
    pub staff: Duration,
    pub household: Duration,
    pub kiosk: Duration,
}

impl IdleLimits {
    fn for_who(&self, who: &Who) -> Duration {
        match who {
            Who::Staff { .. } => self.staff,
            Who::Household { kiosk: true, .. } => self.kiosk,
            Who::Household { kiosk: false, .. } => self.household,
        }
    }
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Starts a fresh session for `who` under session generation `epoch`: the old cookie content
/// (and CSRF token) is dropped first so nothing from before the login carries over.
pub fn sign_in(
    session: &Session,
    who: &Who,
    epoch: i64,
) -> Result<(), actix_session::SessionInsertError> {
    forget(session);
    session.insert(WHO, who)?;
    session.insert(EPOCH, epoch)?;
    session.insert(SEEN, now_secs())
}

/// Keeps a correct password's sign-in waiting for its second factor: the session speaks for
/// nobody until [`take_pending`] hands it over.
pub fn await_second_factor(
    session: &Session,
    who: &Who,
    next: &str,
) -> Result<(), actix_session::SessionInsertError> {
    forget(session);
    session.insert(
        PENDING,
        Pending {
            who: who.clone(),
            next: next.to_string(),
            since: now_secs(),
        },
    )
}

/// The sign-in waiting for its second factor (at most five minutes old) and where it goes next.
pub fn pending(session: &Session) -> Option<(Who, String)> {
    let pending: Pending = session.get(PENDING).ok().flatten()?;
    let age = now_secs().saturating_sub(pending.since);
    (0..=PENDING_SECS)
        .contains(&age)
        .then_some((pending.who, pending.next))
}

/// Moves this session to a new generation (after "end my other sessions" or a password change,
/// the session that asked stays signed in while every other one is refused).
pub fn keep_under(session: &Session, epoch: i64) -> Result<(), actix_session::SessionInsertError> {
    session.insert(EPOCH, epoch)
}

/// The party this cookie speaks for and the generation it was issued under, when signed in.
/// A cookie without a generation (issued before generations existed) gets -1, which no stored
/// generation equals, so it is refused.
pub fn issued_under(session: &Session) -> Option<(Who, i64)> {
    let who: Who = session.get(WHO).ok().flatten()?;
    let epoch: i64 = session.get(EPOCH).ok().flatten().unwrap_or(-1);
    Some((who, epoch))
}

/// Signs out for good: the session is emptied and the cookie is removed in the response.
pub fn sign_out(session: &Session) {
    session.purge();
}

/// Empties the session but keeps using a (new, empty) cookie, for responses that go on to show
/// a form: the form's fresh CSRF token must be stored somewhere. (A purged session would drop it.)
pub fn forget(session: &Session) {
    session.clear();
    session.renew();
}

/// The signed-in party, or `None`. An idle session is purged here, so a kiosk left alone or a
/// phone forgotten on a table no longer acts for its household.
pub fn current(session: &Session, limits: &IdleLimits) -> Option<Who> {
    match seen(session, limits) {
        Seen::SignedIn(who) => Some(who),
        Seen::Nobody | Seen::KioskEnded { .. } => None,
    }
}

/// Who a request speaks for, and whether it is the one that found a kiosk session over its
/// idle limit (a ballot sent after the limit must say it was not saved, see
/// `households::access::lost`).
pub enum Seen {
    SignedIn(Who),
    Nobody,
    /// A kiosk household's session of this village ended for idleness in this very request.
    KioskEnded {
        village_id: i64,
    },
}

/// [`current`], telling an idle kiosk session ended now apart from nobody signed in. The ended
/// kiosk session keeps its CSRF token (and nothing else), so the form it was showing reaches its
/// handler, which sends it to the start screen with a word instead of a 403.
pub fn seen(session: &Session, limits: &IdleLimits) -> Seen {
    let Some(who) = session.get::<Who>(WHO).ok().flatten() else {
        return Seen::Nobody;
    };
    let seen: i64 = session.get(SEEN).ok().flatten().unwrap_or(0);
    let idle = now_secs().saturating_sub(seen);
    if idle < 0 || idle as u64 > limits.for_who(&who).as_secs() {
        return match who {
            Who::Household {
                kiosk: true,
                village_id,
                ..
            } => {
                super::csrf::keep_token(session, || forget(session));
                Seen::KioskEnded { village_id }
            }
            _ => {
                forget(session);
                Seen::Nobody
            }
        };
    }
    // Refresh at most every 15 s so most responses do not rewrite the cookie, and at least four
    // times per limit: a short limit (a kiosk) must not end while requests keep coming.
    if idle >= refresh_every(limits.for_who(&who)) {
        let _ = session.insert(SEEN, now_secs());
    }
    Seen::SignedIn(who)
}

/// How stale the last-seen time may get before a request rewrites it.
fn refresh_every(limit: Duration) -> i64 {
    i64::try_from(limit.as_secs() / 4)
        .unwrap_or(15)
        .clamp(0, 15)
}

/// Restarts the idle limit of the signed-in party now (the kiosk's keep-alive while a person
/// types); `current` must have let the session through first.
pub fn touch(session: &Session) {
    let _ = session.insert(SEEN, now_secs());
}

#[cfg(test)]
mod tests {
    use super::refresh_every;
    use std::time::Duration;

    #[test]
    fn a_short_limit_is_refreshed_well_before_it_ends() {
        assert_eq!(refresh_every(Duration::from_secs(6)), 1);
        assert_eq!(refresh_every(Duration::from_secs(120)), 15);
        assert_eq!(refresh_every(Duration::from_secs(1800)), 15);
        assert_eq!(refresh_every(Duration::from_secs(2)), 0);
    }
}
