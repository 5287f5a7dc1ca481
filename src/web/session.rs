//! Who is signed in, kept in the signed and encrypted session cookie (no server-side state, so
//! several app servers can share one database). Idle sessions expire on the server side: the
//! last-seen time travels in the cookie and is checked on every request.

use std::time::Duration;

use actix_session::Session;
use serde::{Deserialize, Serialize};

const WHO: &str = "who";
const SEEN: &str = "seen";

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

/// Starts a fresh session for `who`: the old cookie content (and CSRF token) is dropped first so
/// nothing from before the login carries over.
pub fn sign_in(session: &Session, who: &Who) -> Result<(), actix_session::SessionInsertError> {
    forget(session);
    session.insert(WHO, who)?;
    session.insert(SEEN, now_secs())
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
    let who: Who = session.get(WHO).ok().flatten()?;
    let seen: i64 = session.get(SEEN).ok().flatten().unwrap_or(0);
    let idle = now_secs().saturating_sub(seen);
    if idle < 0 || idle as u64 > limits.for_who(&who).as_secs() {
        forget(session);
        return None;
    }
    // Refresh at most every 15 s so most responses do not rewrite the cookie.
    if idle >= 15 {
        let _ = session.insert(SEEN, now_secs());
    }
    Some(who)
}
