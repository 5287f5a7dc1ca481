//! Two-factor sign-in (TOTP, RFC 6238): administrators and auditors must enrol before anything
//! else; enrolment shows a QR code and the secret; sign-in then asks for a code computed from
//! the shared secret, or a recovery code, each accepted once. (The RFC's test vectors are unit
//! tests in `auth::totp`.)

use minyi::accounts::domain::{Role, Scope};
use minyi::auth::totp;

use super::app_with;
use crate::helpers::{Browser, Page, STAFF_PASSWORD};

fn secret_on(page: &Page) -> Vec<u8> {
    let marker = "id=\"totp-secret\">";
    let start = page.body.find(marker).expect("the secret in base32") + marker.len();
    let end = page.body[start..].find('<').expect("end") + start;
    totp::base32_decode(&page.body[start..end]).expect("base32")
}

fn recovery_codes(page: &Page) -> Vec<String> {
    let marker = "class=\"recovery-code\">";
    page.body
        .match_indices(marker)
        .map(|(i, _)| {
            let start = i + marker.len();
            let end = page.body[start..].find('<').expect("end") + start;
            page.body[start..end].to_string()
        })
        .collect()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A code that is not the one for now nor its neighbours.
fn wrong_code(secret: &[u8]) -> String {
    let near: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|d| totp::code_at(secret, now() + d))
        .collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !near.contains(c))
        .expect("a wrong code")
}

async fn password_step(browser: &Browser, username: &str) -> Page {
    browser
        .post(
            "/login",
            &[("username", username), ("password", STAFF_PASSWORD)],
        )
        .await
}

#[actix_web::test]
async fn an_admin_enrols_first_then_signs_in_with_a_code_or_a_recovery_code() {
    let app = app_with(|s| s.require_two_factor = true).await;
    let v = app.village("tf1");
    app.staff("boss.tf1", Role::Admin, Scope::Township(v.township_id));
    let admin = app.browser();
    admin.login_staff("boss.tf1").await;
    let elsewhere = admin.get("/staff/accounts").await;
    assert_eq!(elsewhere.status, 303, "nothing before enrolment");
    assert!(
        elsewhere
            .location
            .as_deref()
            .unwrap_or("")
            .starts_with("/staff/2fa"),
        "{:?}",
        elsewhere.location
    );
    assert_eq!(
        admin.post("/staff/sessions/end-others", &[]).await.status,
        403
    );
    let enrol = admin.get("/staff/2fa").await;
    assert_eq!(enrol.status, 200);
    assert!(enrol.body.contains("<svg"), "a QR code");
    let secret = secret_on(&enrol);
    let wrong = admin
        .post("/staff/2fa", &[("code", &wrong_code(&secret))])
        .await;
    assert_eq!(wrong.status, 422);
    let done = admin
        .post("/staff/2fa", &[("code", &totp::code_at(&secret, now()))])
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let codes = recovery_codes(&done);
    assert_eq!(codes.len(), 10);
    assert_eq!(admin.get("/staff/accounts").await.status, 200);

    // Signing in again: the password alone signs nobody in.
    let next = app.browser();
    let step = password_step(&next, "boss.tf1").await;
    assert_eq!(step.location.as_deref(), Some("/login/2fa"));
    assert_eq!(next.get("/staff").await.status, 303, "not yet signed in");
    let refused = next
        .post("/login/2fa", &[("code", &wrong_code(&secret))])
        .await;
    assert_eq!(refused.status, 422);
    // The enrolment used this step's code: the next step's (one step of drift is allowed).
    let code = totp::code_at(&secret, now() + 30);
    let ok = next.post("/login/2fa", &[("code", &code)]).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(next.get("/staff/accounts").await.status, 200);

    // The same code again is refused; a recovery code works once.
    let replay = app.browser();
    password_step(&replay, "boss.tf1").await;
    assert_eq!(
        replay.post("/login/2fa", &[("code", &code)]).await.status,
        422
    );
    let recovery = replay.post("/login/2fa", &[("code", &codes[0])]).await;
    assert_eq!(recovery.status, 303);
    let again = app.browser();
    password_step(&again, "boss.tf1").await;
    assert_eq!(
        again
            .post("/login/2fa", &[("code", &codes[0])])
            .await
            .status,
        422
    );
    let actions = crate::helpers::TestApp::audit_actions(&app);
    assert!(actions.iter().any(|a| a.0 == "staff.two_factor_enrol"));
    assert!(
        actions
            .iter()
            .any(|a| a.0 == "staff.two_factor" && a.2 == "denied")
    );
}

#[actix_web::test]
async fn wrong_codes_lock_like_passwords_and_a_clerk_may_go_without() {
    let app = app_with(|s| s.require_two_factor = true).await;
    let v = app.village("tf2");
    app.staff("audit.tf2", Role::Auditor, Scope::Township(v.township_id));
    app.staff("clerk.tf2", Role::Clerk, Scope::Village(v.id));
    let clerk = app.browser();
    clerk.login_staff("clerk.tf2").await;
    assert_eq!(
        clerk.get("/staff").await.status,
        200,
        "second factor optional for clerks"
    );

    let auditor = app.browser();
    auditor.login_staff("audit.tf2").await;
    assert_eq!(auditor.get("/staff/audit").await.status, 303);
    let secret = secret_on(&auditor.get("/staff/2fa").await);
    let done = auditor
        .post("/staff/2fa", &[("code", &totp::code_at(&secret, now()))])
        .await;
    assert_eq!(done.status, 200);
    let guesser = app.browser();
    password_step(&guesser, "audit.tf2").await;
    let wrong = wrong_code(&secret);
    let token = guesser.csrf().await;
    let fields = [("csrf", token.as_str()), ("code", wrong.as_str())];
    let sends = (0..20).map(|_| guesser.post_raw("/login/2fa", &fields));
    let statuses: Vec<u16> = futures_util::future::join_all(sends)
        .await
        .into_iter()
        .map(|p| p.status)
        .collect();
    let checked = statuses.iter().filter(|s| **s == 422).count();
    assert!(checked <= 5, "{statuses:?}");
    let right = totp::code_at(&secret, now() + 30);
    let locked = guesser.post("/login/2fa", &[("code", &right)]).await;
    assert_eq!(locked.status, 429, "locked even for the right code");
}
