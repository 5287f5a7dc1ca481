//! The way back from a lost second factor: an administrator resets another account's (never
//! its own) with a written reason; the account's sessions end, the holder is mailed, and it
//! enrols again at its next sign-in, whatever its roles. `minyi reset-2fa` does the same for the
//! last administrator, audited with the actor `cli`.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::auth::totp;
use minyi::db::schema::audit_events::dsl as ae;

use super::app_with;
use crate::helpers::{Browser, TestApp};

/// Signs `username` in and enrols its second factor; the signed-in browser.
async fn enrolled(app: &TestApp, username: &str) -> Browser {
    let browser = app.browser();
    browser.login_staff(username).await;
    let page = browser.get("/staff/2fa").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let marker = "id=\"totp-secret\">";
    let start = page.body.find(marker).expect("the secret") + marker.len();
    let end = page.body[start..].find('<').expect("end") + start;
    let secret = totp::base32_decode(&page.body[start..end]).expect("base32");
    let code = totp::code_at(&secret, chrono::Utc::now().timestamp());
    let done = browser.post("/staff/2fa", &[("code", &code)]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    browser
}

fn enrolled_in_db(app: &TestApp, id: i64) -> bool {
    app.with_conn(|c| minyi::auth::two_factor::is_enrolled(c, id).expect("enrolment"))
}

/// (actor, detail) of the audit events of `action`.
fn events(app: &TestApp, action: &str) -> Vec<(String, String)> {
    app.with_conn(|c| {
        ae::audit_events
            .filter(ae::action.eq(action))
            .order(ae::id)
            .select((ae::actor, ae::detail))
            .load(c)
            .expect("events")
    })
}

fn mails_to(app: &TestApp, address: &str) -> Vec<String> {
    use minyi::db::schema::outbox::dsl as ob;
    app.with_conn(|c| {
        ob::outbox
            .filter(ob::recipient.eq(address))
            .select(ob::body)
            .load(c)
            .expect("outbox")
    })
}

#[actix_web::test]
async fn an_admin_resets_another_accounts_lost_second_factor_and_it_enrols_again() {
    let app = app_with(|s| s.require_two_factor = true).await;
    let v = app.village("rs1");
    let admin_id = app.staff("boss.rs1", Role::Admin, Scope::Township(v.township_id));
    // A clerk who chose a second factor: no role requires one.
    let clerk_id = app.staff("clerk.rs1", Role::Clerk, Scope::Village(v.id));
    app.with_conn(|c| {
        use minyi::db::schema::staff::dsl as st;
        diesel::update(st::staff.find(clerk_id))
            .set(st::email.eq(Some("clerk.rs1@example.cn")))
            .execute(c)
            .expect("email")
    });
    let admin = enrolled(&app, "boss.rs1").await;
    let clerk = enrolled(&app, "clerk.rs1").await;
    assert!(enrolled_in_db(&app, clerk_id));
    let path = format!("/staff/accounts/{clerk_id}/2fa/reset");

    // No reason: the page again with the message beside the field, nothing written.
    let page = admin.post(&path, &[("reason", "  ")]).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("reason-error"), "{}", page.body);
    // Never one's own.
    let own = admin
        .post(
            &format!("/staff/accounts/{admin_id}/2fa/reset"),
            &[("reason", "丢了手机")],
        )
        .await;
    assert_eq!(own.status, 409, "{}", own.body);
    assert!(enrolled_in_db(&app, clerk_id) && enrolled_in_db(&app, admin_id));
    assert!(events(&app, "staff.reset_2fa").is_empty());
    assert_eq!(clerk.get("/staff").await.status, 200);

    let done = admin
        .post(
            &path,
            &[("reason", "手机和恢复码都丢了，本人到镇上核实身份")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(!enrolled_in_db(&app, clerk_id), "secret and codes gone");
    assert_eq!(
        events(&app, "staff.reset_2fa"),
        [(
            format!("staff:{admin_id}"),
            "reason=手机和恢复码都丢了，本人到镇上核实身份".to_string()
        )]
    );
    // Every session of the account ended.
    let replay = clerk.get("/staff").await;
    assert_eq!(replay.status, 303, "the old session still works");
    // The holder is told.
    let mails = mails_to(&app, "clerk.rs1@example.cn");
    assert!(
        mails.iter().any(|m| m.contains("两步验证已被管理员重置")),
        "{mails:?}"
    );
    // The password alone signs in again, straight to enrolment, before anything else.
    let next = app.browser();
    let step = next
        .post(
            "/login",
            &[
                ("username", "clerk.rs1"),
                ("password", crate::helpers::STAFF_PASSWORD),
            ],
        )
        .await;
    assert_ne!(
        step.location.as_deref(),
        Some("/login/2fa"),
        "no code asked"
    );
    let first = next.get("/staff").await;
    assert_eq!(first.status, 303);
    assert!(
        first
            .location
            .as_deref()
            .unwrap_or("")
            .starts_with("/staff/2fa"),
        "{:?}",
        first.location
    );
    drop(next);
    let again = enrolled(&app, "clerk.rs1").await;
    assert_eq!(again.get("/staff").await.status, 200, "enrolled again");
}

#[actix_web::test]
async fn the_last_administrator_is_reset_from_the_command_line_audited_as_cli() {
    let app = app_with(|s| s.require_two_factor = true).await;
    let v = app.village("rs2");
    let admin_id = app.staff("boss.rs2", Role::Admin, Scope::Township(v.township_id));
    let admin = enrolled(&app, "boss.rs2").await;
    let reset = minyi::accounts::second_factor_reset::reset_from_cli;
    let mut out = Vec::new();
    assert!(
        reset(&app.state, "boss.rs2", "  ", &mut out).is_err(),
        "a reason is needed"
    );
    assert!(reset(&app.state, "nobody.rs2", "丢了", &mut out).is_err());
    assert!(enrolled_in_db(&app, admin_id));
    reset(&app.state, "boss.rs2", "唯一的管理员丢了手机", &mut out).expect("reset");
    assert!(String::from_utf8_lossy(&out).contains("boss.rs2"));
    assert!(!enrolled_in_db(&app, admin_id));
    assert_eq!(
        events(&app, "staff.reset_2fa"),
        [("cli".to_string(), "reason=唯一的管理员丢了手机".to_string())]
    );
    assert_eq!(admin.get("/staff").await.status, 303, "its sessions ended");
    let next = app.browser();
    next.login_staff("boss.rs2").await;
    let first = next.get("/staff/accounts").await;
    assert!(
        first
            .location
            .as_deref()
            .unwrap_or("")
            .starts_with("/staff/2fa"),
        "enrols again first: {:?}",
        first.location
    );
}
