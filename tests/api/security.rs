//! Integration tests of the security controls (issue 11): sessions that end, a throttle that
//! holds under parallel attempts, the password rule and forced changes, separation of duties,
//! the trusted proxy's address, and the chained audit log. Shared helpers live here.

use std::sync::Arc;

use diesel::prelude::*;
use reqwest::cookie::{CookieStore, Jar};

use crate::helpers::{Browser, TestApp, spawn_with, test_settings};

mod audit;
mod duties;
mod passwords;
mod proxy;
mod second_factor_reset;
mod sessions;
mod throttle;
mod two_factor;

/// A browser whose cookie jar the test can read, to copy its session cookie elsewhere.
pub struct Jarred {
    pub browser: Browser,
    pub jar: Arc<Jar>,
}

fn browser_with(base: &str, jar: Arc<Jar>) -> Browser {
    let client = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Browser {
        client,
        base: base.to_string(),
    }
}

pub fn jarred(app: &TestApp) -> Jarred {
    let jar = Arc::new(Jar::default());
    Jarred {
        browser: browser_with(&app.base, jar.clone()),
        jar,
    }
}

impl Jarred {
    /// A second browser holding a copy of this one's cookies as they are now (what an attacker
    /// who copied the cookie would hold), talking to `base`.
    pub fn copy_to(&self, from_base: &str, base: &str) -> Browser {
        let from: reqwest::Url = from_base.parse().expect("url");
        let to: reqwest::Url = base.parse().expect("url");
        let jar = Arc::new(Jar::default());
        if let Some(header) = self.jar.cookies(&from) {
            for pair in header.to_str().expect("ascii cookies").split("; ") {
                jar.add_cookie_str(pair, &to);
            }
        }
        browser_with(base, jar)
    }

    pub fn copy(&self, base: &str) -> Browser {
        self.copy_to(base, base)
    }
}

/// A second app server on the first one's database and with its cookie key, as behind a load
/// balancer.
pub async fn second_server(first: &TestApp) -> TestApp {
    second_server_with(first, |_| {}).await
}

pub async fn second_server_with(
    first: &TestApp,
    adjust: impl FnOnce(&mut minyi::config::Settings),
) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        first.dir.path().join("cookie.key"),
        dir.path().join("cookie.key"),
    )
    .expect("copy the cookie key");
    let mut settings = test_settings(dir.path());
    settings.database_url = Some(first.state.settings.effective_database_url());
    adjust(&mut settings);
    spawn_with(settings, dir).await
}

/// An app whose address limit slows attempts by only `delay_ms` (tests measure it).
pub async fn app_with_delay(delay_ms: u64) -> TestApp {
    app_with(|s| s.address_delay = std::time::Duration::from_millis(delay_ms)).await
}

pub async fn app_with(adjust: impl FnOnce(&mut minyi::config::Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    adjust(&mut settings);
    spawn_with(settings, dir).await
}

pub fn set_email(app: &TestApp, staff_id: i64, email: &str) {
    use minyi::db::schema::staff::dsl as st;
    app.with_conn(|c| {
        diesel::update(st::staff.filter(st::id.eq(staff_id)))
            .set(st::email.eq(email))
            .execute(c)
            .expect("set email")
    });
}

/// Messages queued for `recipient`: (subject, body).
pub fn mail_to(app: &TestApp, recipient: &str) -> Vec<(String, String)> {
    use minyi::db::schema::outbox::dsl as ob;
    app.with_conn(|c| {
        ob::outbox
            .filter(ob::recipient.eq(recipient))
            .order(ob::id)
            .select((ob::subject, ob::body))
            .load(c)
            .expect("outbox")
    })
}

/// Audit rows as (action, subject, outcome, address).
pub fn audit_rows(app: &TestApp) -> Vec<(String, String, String, Option<String>)> {
    use minyi::db::schema::audit_events::dsl as ae;
    app.with_conn(|c| {
        ae::audit_events
            .order(ae::id)
            .select((ae::action, ae::subject, ae::outcome, ae::address))
            .load(c)
            .expect("audit rows")
    })
}
