//! A throttle that holds: attempts are counted in one statement before the secret is checked,
//! so parallel wrong secrets (on one or two app servers) are checked at most five times; the
//! per-address limit slows an address down without locking out correct credentials; clerks and
//! administrators see and lift locks.

use std::time::{Duration, Instant};

use minyi::accounts::domain::{Role, Scope};

use super::{app_with_delay, audit_rows, second_server_with};
use crate::helpers::{Browser, STAFF_PASSWORD, race_runs};

/// Posts the same wrong secret `n` times at once through each browser in turn and returns how
/// many were checked (422) and how many refused unchecked (429).
async fn at_once(
    browsers: &[&Browser],
    path: &str,
    fields: &[(&str, &str)],
    n: usize,
) -> (usize, usize) {
    let mut tokens = Vec::new();
    for b in browsers {
        tokens.push(b.csrf().await);
    }
    let sends = (0..n).map(|i| {
        let k = i % browsers.len();
        let (browser, token) = (browsers[k], tokens[k].as_str());
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", token));
        async move { browser.post_raw(path, &all).await.status }
    });
    let statuses = futures_util::future::join_all(sends).await;
    let checked = statuses.iter().filter(|s| **s == 422).count();
    let locked = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + locked, n, "{statuses:?}");
    (checked, locked)
}

#[actix_web::test]
async fn race_sixty_wrong_pins_at_once_are_checked_at_most_five_times() {
    let app = app_with_delay(1).await;
    let v = app.village("th1");
    let browser = app.browser();
    let runs = race_runs();
    let mut extra_checks = 0;
    for run in 0..runs {
        let number = format!("{:04}", 1000 + run);
        app.household(&v, &number, "104729");
        let fields = [("number", number.as_str()), ("pin", "999999")];
        let (checked, _) = at_once(&[&browser], "/v/th1/login", &fields, 60).await;
        extra_checks += checked.saturating_sub(5);
        assert!(checked >= 1, "at least one attempt is checked");
    }
    println!("RACE sixty_wrong_pins_one_household: runs={runs} extra_checks={extra_checks}");
    assert_eq!(extra_checks, 0);
}

#[actix_web::test]
async fn race_sixty_wrong_passwords_over_two_app_servers_are_checked_at_most_five_times() {
    let app = app_with_delay(1).await;
    let other = second_server_with(&app, |s| s.address_delay = Duration::from_millis(1)).await;
    let v = app.village("th2");
    let (on_first, on_second) = (app.browser(), other.browser());
    let runs = race_runs();
    let mut extra_checks = 0;
    for run in 0..runs {
        let name = format!("clerk{run}.th2");
        app.staff(&name, Role::Clerk, Scope::Village(v.id));
        let fields = [("username", name.as_str()), ("password", "Wrong-pass-2026")];
        let (checked, _) = at_once(&[&on_first, &on_second], "/login", &fields, 60).await;
        extra_checks += checked.saturating_sub(5);
    }
    println!("RACE sixty_wrong_passwords_two_servers: runs={runs} extra_checks={extra_checks}");
    assert_eq!(extra_checks, 0);
    // Every refused sign-in was recorded, and the chain of those parallel appends holds.
    let verdict = app.with_conn(minyi::audit::chain::verify).expect("verify");
    assert!(
        matches!(verdict, minyi::audit::chain::Verdict::Intact { .. }),
        "{verdict:?}"
    );
}

#[actix_web::test]
async fn the_address_limit_slows_wrong_guesses_but_lets_correct_credentials_in() {
    let app = app_with_delay(400).await;
    let v = app.village("th3");
    app.staff("clerk.th3", Role::Clerk, Scope::Village(v.id));
    app.household(&v, "0101", "104729");
    let browser = app.browser();
    for n in 0..30 {
        let name = format!("guess{n}");
        let page = browser
            .post(
                "/login",
                &[("username", &name), ("password", "whatever-1A")],
            )
            .await;
        assert_eq!(page.status, 422, "attempt {n}");
    }
    let started = Instant::now();
    let wrong = browser
        .post(
            "/login",
            &[("username", "guess99"), ("password", "whatever-1A")],
        )
        .await;
    assert_eq!(wrong.status, 422, "a wrong guess stays refused");
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "past the address limit a guess waits"
    );
    let staff = app.browser();
    let right = staff
        .post(
            "/login",
            &[("username", "clerk.th3"), ("password", STAFF_PASSWORD)],
        )
        .await;
    assert_eq!(
        right.status, 303,
        "correct credentials from the same address"
    );
    let household = app.browser();
    let right = household
        .post("/v/th3/login", &[("number", "0101"), ("pin", "104729")])
        .await;
    assert_eq!(right.status, 303, "a household at the same kiosk address");
}

#[actix_web::test]
async fn clerks_and_admins_see_and_lift_locks_and_it_is_audited() {
    let app = app_with_delay(1).await;
    let v = app.village("th4");
    let w = app.village("th5");
    app.household(&v, "0101", "104729");
    app.staff("clerk.th4", Role::Clerk, Scope::Village(v.id));
    app.staff("clerk.th5", Role::Clerk, Scope::Village(w.id));
    app.staff("boss.th4", Role::Admin, Scope::Township(v.township_id));
    let phone = app.browser();
    for _ in 0..6 {
        phone
            .post("/v/th4/login", &[("number", "0101"), ("pin", "000000")])
            .await;
    }
    let locked = phone
        .post("/v/th4/login", &[("number", "0101"), ("pin", "104729")])
        .await;
    assert_eq!(locked.status, 429);

    let stranger = app.browser();
    stranger.login_staff("clerk.th5").await;
    let theirs = stranger
        .post("/staff/v/th5/locks/lift", &[("name", "0101")])
        .await;
    assert_eq!(theirs.status, 404, "another village's clerk lifts nothing");
    assert_eq!(
        stranger.get("/staff/v/th4/locks").await.status,
        403,
        "nor sees this village's locks"
    );

    let clerk = app.browser();
    clerk.login_staff("clerk.th4").await;
    let list = clerk.get("/staff/v/th4/locks").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("0101"), "{}", list.body);
    let lifted = clerk
        .post("/staff/v/th4/locks/lift", &[("name", "0101")])
        .await;
    assert_eq!(lifted.status, 303);
    let again = phone
        .post("/v/th4/login", &[("number", "0101"), ("pin", "104729")])
        .await;
    assert_eq!(again.status, 303, "the household signs in after the lift");

    let guesser = app.browser();
    for _ in 0..6 {
        guesser
            .post(
                "/login",
                &[("username", "clerk.th5"), ("password", "nope-nope-1A")],
            )
            .await;
    }
    let admin = app.browser();
    admin.login_staff("boss.th4").await;
    let staff_locks = admin.get("/staff/locks").await;
    assert!(
        staff_locks.body.contains("clerk.th5"),
        "{}",
        staff_locks.body
    );
    assert_eq!(
        admin
            .post("/staff/locks/lift", &[("name", "clerk.th5")])
            .await
            .status,
        303
    );
    app.browser().login_staff("clerk.th5").await;
    let lifts: Vec<_> = audit_rows(&app)
        .into_iter()
        .filter(|r| r.0 == "login.lock_lift")
        .map(|r| r.1)
        .collect();
    assert_eq!(
        lifts,
        vec![
            format!("household:{}:0101", v.id),
            "staff:clerk.th5".to_string()
        ]
    );
}
