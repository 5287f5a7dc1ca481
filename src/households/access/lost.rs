//! The kiosk start screen's one-time word after a form was sent too late: when the server had
//! already ended the kiosk session for idleness (script off, or the warning ignored), the ballot,
//! review answers or objection were not saved, and the start screen says so in large type,
//! naming nobody. The POST handlers leave the note ([`note_lost`]); the start screen takes it.

use actix_session::Session;
use serde::{Deserialize, Serialize};

use crate::web::page::Page;

/// What a kiosk form sent after the server's idle limit lost, for the start screen to say.
const LOST: &str = "kiosk_lost";

/// What was not saved because the kiosk session had already ended when it was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lost {
    Ballot,
    Review,
    Objection,
}

impl Lost {
    /// The start screen's sentence: what was not saved and what to do; nothing about whose.
    pub fn message_key(self) -> &'static str {
        match self {
            Lost::Ballot => "kiosk.lost_ballot",
            Lost::Review => "kiosk.lost_review",
            Lost::Objection => "kiosk.lost_objection",
        }
    }
}

/// Called by a kiosk form's POST that found nobody signed in for `village_id`: when this very
/// request ended that village's kiosk session for idleness (the form was sent after the
/// server's limit, script off or warning ignored), the start screen it goes to says once that
/// nothing was saved. A session ended by a hand-over, a sign-out or the start screen is not
/// ended for idleness, so the next person there is never told anything.
pub fn note_lost(p: &Page, session: &Session, village_id: i64, lost: Lost) {
    if p.kiosk_ended == Some(village_id) {
        let _ = session.insert(LOST, lost);
    }
}

/// The note left by [`note_lost`], taken (the start screen says it once).
pub fn take_lost(session: &Session) -> Option<Lost> {
    let lost = session.get::<Lost>(LOST).ok().flatten();
    session.remove(LOST);
    lost
}
