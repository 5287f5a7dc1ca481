//! Handing the shared kiosk over to the next person. Confirming a ballot at the kiosk ends the
//! household's kiosk session at once: the cookie keeps only the receipt to show (code and round
//! title, which are public anyway), never who cast it. Revising at the kiosk needs a fresh
//! sign-in, and the server refuses any kiosk session that began before the household's ballot
//! was last written (a copied or replayed pre-ballot cookie acts for nobody).

use std::time::Duration;

use actix_session::Session;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::web::session;

/// When this kiosk session signed in (microseconds since the epoch, the precision ballots keep).
const SIGNED_IN_AT: &str = "kiosk_signed_in_at";
/// The receipt left on screen after a kiosk confirmation.
const RECEIPT: &str = "kiosk_receipt";

/// What the kiosk may still show after the household's session ended: nothing that names it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LeftReceipt {
    pub round_title: String,
    pub receipt: String,
    /// When it was cast (seconds since the epoch): shown only briefly.
    pub at: i64,
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Remembers when a kiosk household signed in (called right after the sign-in).
pub fn mark_sign_in(session: &Session) {
    // A cookie that cannot take the mark acts for nobody (see `outlived`).
    let _ = session.insert(SIGNED_IN_AT, crate::db::now().and_utc().timestamp_micros());
}

/// Whether this kiosk session must no longer act for its household: it has no sign-in mark, or
/// the household's ballot was written at or after the sign-in (the session that wrote it ended
/// then; only a replayed cookie can still carry it).
pub fn outlived(session: &Session, ballot_written_at: Option<NaiveDateTime>) -> bool {
    let since = session.get::<i64>(SIGNED_IN_AT).ok().flatten();
    ends_session(
        since,
        ballot_written_at.map(|at| at.and_utc().timestamp_micros()),
    )
}

/// The rule of `outlived` on plain microseconds.
fn ends_session(signed_in_at: Option<i64>, ballot_written_at: Option<i64>) -> bool {
    match signed_in_at {
        None => true,
        Some(since) => ballot_written_at.is_some_and(|at| at >= since),
    }
}

/// Ends the household's kiosk session after its ballot was stored; the fresh session keeps
/// only the receipt to show.
pub fn hand_over(session: &Session, round_title: String, receipt: String) {
    session::forget(session);
    let left = LeftReceipt {
        round_title,
        receipt,
        at: now_secs(),
    };
    let _ = session.insert(RECEIPT, left);
}

/// The receipt left on this kiosk, if it was cast less than `shown_for` ago.
pub fn left_receipt(session: &Session, shown_for: Duration) -> Option<LeftReceipt> {
    let left: LeftReceipt = session.get(RECEIPT).ok().flatten()?;
    let age = now_secs().saturating_sub(left.at);
    (0..=i64::try_from(shown_for.as_secs()).unwrap_or(i64::MAX))
        .contains(&age)
        .then_some(left)
}

/// With static/kiosk.js the timers count from the last input: the script shows them (class
/// `on`), not the animation above.
const JS_TIMERS: &str = ".kiosk.js-timers .idle-warning,.kiosk.js-timers .idle-over{animation:none}\n\
     .kiosk.js-timers .idle-warning.on,.kiosk.js-timers .idle-over.on{visibility:visible}\n\
     .idle-warning p{margin:0 0 .5em}\n";

/// `?after=N`: the seconds a kiosk page stays before it is covered.
#[derive(serde::Deserialize)]
pub struct IdleQuery {
    after: u32,
}

/// When the idle warning of a page that is covered after `after` seconds appears: a minute
/// before, or half-way on pages that stay less than two minutes.
fn warn_after(after: u32) -> u32 {
    after - (after / 2).min(60)
}

/// The kiosk's timers without script or meta refresh (axe-core flags meta refresh as critical):
/// a stylesheet that shows the idle warning shortly before, and covers the page with a "back to
/// the start screen" panel when, the page has stood `after` seconds (counted from the page's
/// load, i.e. from the household's last request, which is also what the server's limit counts
/// from). Same-origin, so the kiosk's strict CSP allows it; no inline style needed.
pub async fn idle_css(query: actix_web::web::Query<IdleQuery>) -> actix_web::HttpResponse {
    let after = query.after;
    let css = format!(
        ".kiosk .idle-warning{{animation:idle-show 0s linear {warn}s forwards}}\n\
         .kiosk .idle-over{{animation:idle-show 0s linear {after}s forwards}}\n\
         {js}",
        warn = warn_after(after),
        js = JS_TIMERS,
    );
    actix_web::HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(css)
}

#[cfg(test)]
mod tests {
    use super::ends_session;

    #[test]
    fn a_kiosk_session_ends_with_the_ballot_written_during_it() {
        assert!(
            ends_session(Some(1_000), Some(1_000)),
            "written in the sign-in second"
        );
        assert!(ends_session(Some(1_000), Some(1_200)));
        assert!(
            !ends_session(Some(1_000), Some(999)),
            "written before: a fresh sign-in"
        );
        assert!(!ends_session(Some(1_000), None), "nothing written yet");
        assert!(ends_session(None, None), "no sign-in mark: acts for nobody");
    }

    #[test]
    fn the_idle_warning_comes_a_minute_before_or_half_way() {
        assert_eq!(super::warn_after(600), 540);
        assert_eq!(super::warn_after(120), 60);
        assert_eq!(super::warn_after(6), 3);
        assert_eq!(super::warn_after(0), 0);
    }
}
