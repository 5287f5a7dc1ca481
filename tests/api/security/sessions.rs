//! Sessions that end: a cookie copied before a logout, a password change, a deactivation, a
//! role removal or "sign out other sessions" is refused afterwards, on this app server and on
//! another one sharing the database.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use super::{jarred, second_server};
use crate::helpers::{Browser, STAFF_PASSWORD, TestApp, spawn_app};

/// Signs `username` in through a browser whose cookie can be copied.
async fn signed_in(app: &TestApp, username: &str) -> super::Jarred {
    let j = jarred(app);
    j.browser.login_staff(username).await;
    assert_eq!(j.browser.get("/staff").await.status, 200);
    j
}

async fn refused(copy: &Browser, what: &str) {
    let page = copy.get("/staff").await;
    assert_eq!(page.status, 303, "{what}: the copied cookie still works");
    assert!(
        page.location.as_deref().unwrap_or("").starts_with("/login"),
        "{what}: {:?}",
        page.location
    );
}

#[actix_web::test]
async fn a_cookie_copied_before_logout_is_refused_on_every_server() {
    let app = spawn_app().await;
    let v = app.village("se1");
    app.staff("clerk.se1", Role::Clerk, Scope::Village(v.id));
    let other = second_server(&app).await;
    let j = signed_in(&app, "clerk.se1").await;
    let here = j.copy(&app.base);
    let there = j.copy_to(&app.base, &other.base);
    assert_eq!(
        there.get("/staff").await.status,
        200,
        "the copy works first"
    );
    assert_eq!(j.browser.post("/logout", &[]).await.status, 303);
    refused(&here, "same server").await;
    refused(&there, "second server").await;
    let actions: Vec<String> = super::audit_rows(&app).into_iter().map(|r| r.0).collect();
    assert!(actions.contains(&"staff.logout".to_string()), "{actions:?}");
}

#[actix_web::test]
async fn a_password_change_ends_every_other_session() {
    let app = spawn_app().await;
    let v = app.village("se2");
    app.staff("clerk.se2", Role::Clerk, Scope::Village(v.id));
    let j = signed_in(&app, "clerk.se2").await;
    let copy = j.copy(&app.base);
    let second = signed_in(&app, "clerk.se2").await;
    let changed = j
        .browser
        .post(
            "/staff/password",
            &[
                ("current", STAFF_PASSWORD),
                ("new", "Lantern-Rice-2027!"),
                ("repeat", "Lantern-Rice-2027!"),
            ],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    refused(&copy, "copied cookie").await;
    refused(&second.browser, "second session").await;
    assert_eq!(
        j.browser.get("/staff").await.status,
        200,
        "the session that changed it stays"
    );
}

#[actix_web::test]
async fn deactivation_and_role_removal_end_sessions_for_good() {
    let app = spawn_app().await;
    let v = app.village("se3");
    app.staff("boss.se3", Role::Admin, Scope::Township(v.township_id));
    let admin = app.browser();
    admin.login_staff("boss.se3").await;
    let clerk_id = app.staff("clerk.se3", Role::Clerk, Scope::Village(v.id));

    // Deactivated and restored: a cookie from before stays refused.
    let j = signed_in(&app, "clerk.se3").await;
    let copy = j.copy(&app.base);
    let path = format!("/staff/accounts/{clerk_id}/active");
    assert_eq!(admin.post(&path, &[("active", "false")]).await.status, 303);
    assert_eq!(admin.post(&path, &[("active", "true")]).await.status, 303);
    refused(&copy, "after deactivation and restore").await;

    // A role removed: a cookie from before is refused (the holder signs in again).
    let scope = format!("v:{}", v.id);
    let added = admin
        .post(
            &format!("/staff/accounts/{clerk_id}/roles"),
            &[("role", "supervisor"), ("scope", &scope)],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let j = signed_in(&app, "clerk.se3").await;
    let copy = j.copy(&app.base);
    let assignment: i64 = {
        use minyi::db::schema::role_assignments::dsl as ra;
        app.with_conn(|c| {
            ra::role_assignments
                .filter(ra::staff_id.eq(clerk_id).and(ra::role.eq("supervisor")))
                .select(ra::id)
                .first(c)
                .expect("assignment")
        })
    };
    let removed = admin
        .post(
            &format!("/staff/accounts/{clerk_id}/roles/{assignment}/remove"),
            &[],
        )
        .await;
    assert_eq!(removed.status, 303);
    refused(&copy, "after a role removal").await;
    refused(&j.browser, "the session itself, signed in with the role").await;
}

#[actix_web::test]
async fn signing_out_other_sessions_keeps_this_one() {
    let app = spawn_app().await;
    let v = app.village("se4");
    app.staff("clerk.se4", Role::Clerk, Scope::Village(v.id));
    let phone = signed_in(&app, "clerk.se4").await;
    let office = signed_in(&app, "clerk.se4").await;
    let ended = office.browser.post("/staff/sessions/end-others", &[]).await;
    assert_eq!(ended.status, 303);
    refused(&phone.browser, "the other session").await;
    assert_eq!(office.browser.get("/staff").await.status, 200);
    let actions: Vec<String> = super::audit_rows(&app).into_iter().map(|r| r.0).collect();
    assert!(actions.contains(&"staff.end_sessions".to_string()));
}

/// A village with an open round and one household, and the household signed in on its phone.
async fn household_with_open_round(app: &TestApp, code: &str) -> super::Jarred {
    let v = app.village(code);
    app.household(&v, "0101", "104729");
    app.staff(&format!("clerk.{code}"), Role::Clerk, Scope::Village(v.id));
    let clerk = app.browser();
    clerk.login_staff(&format!("clerk.{code}")).await;
    let created = clerk
        .post(
            &format!("/staff/v/{code}/rounds/new"),
            &[
                ("title", "2027年度征集"),
                ("year", "2027"),
                ("opens_at", "2026-11-01T08:00"),
                ("closes_at", "2099-12-31T18:00"),
                ("min_suggestions", "1"),
                ("max_suggestions", "3"),
                ("categories", "照明\n其他"),
            ],
        )
        .await;
    let round = created.location.expect("round created");
    let opened = clerk
        .post(&format!("{round}/state"), &[("action", "open")])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let j = jarred(app);
    let login = j
        .browser
        .post(
            &format!("/v/{code}/login"),
            &[("number", "0101"), ("pin", "104729")],
        )
        .await;
    assert_eq!(login.status, 303);
    j
}

fn ballots(app: &TestApp) -> i64 {
    use minyi::db::schema::ballots::dsl as b;
    app.with_conn(|c| b::ballots.count().get_result(c).expect("count"))
}

#[actix_web::test]
async fn after_a_household_logs_out_a_copied_cookie_casts_no_ballot() {
    let app = spawn_app().await;
    let j = household_with_open_round(&app, "se5").await;
    let copy = j.copy(&app.base);
    let token = copy.csrf().await;
    assert_eq!(
        copy.get("/v/se5/me").await.status,
        200,
        "the copy works first"
    );
    let out = j.browser.post("/v/se5/logout", &[]).await;
    assert_eq!(out.status, 303);
    let cast = copy
        .post_raw(
            "/v/se5/ballot/confirm",
            &[
                ("csrf", token.as_str()),
                ("expected_version", "0"),
                ("category", "照明"),
                ("title", "复制的登录"),
                ("details", ""),
                ("place", "村口"),
                ("cost", "3000"),
                ("step", "confirm"),
            ],
        )
        .await;
    assert_ne!(
        cast.location.as_deref(),
        Some("/v/se5/receipt"),
        "{}",
        cast.status
    );
    assert_eq!(ballots(&app), 0, "the copied cookie cast a ballot");
    let me = copy.get("/v/se5/me").await;
    assert_eq!(me.status, 303, "the copy no longer shows the household");
    let actions: Vec<String> = super::audit_rows(&app).into_iter().map(|r| r.0).collect();
    assert!(actions.contains(&"household.logout".to_string()));
}

#[actix_web::test]
async fn a_pin_reset_ends_the_households_sessions() {
    let app = spawn_app().await;
    let v = app.village("se6");
    let id = app.household(&v, "0101", "104729");
    app.staff("clerk.se6", Role::Clerk, Scope::Village(v.id));
    let phone = app.browser();
    let login = phone
        .post("/v/se6/login", &[("number", "0101"), ("pin", "104729")])
        .await;
    assert_eq!(login.status, 303);
    assert_eq!(phone.get("/v/se6/me").await.status, 200);
    let clerk = app.browser();
    clerk.login_staff("clerk.se6").await;
    let reset = clerk
        .post(&format!("/staff/v/se6/households/{id}/pin"), &[])
        .await;
    assert_eq!(reset.status, 200);
    assert_eq!(
        phone.get("/v/se6/me").await.status,
        303,
        "the session signed in with the old PIN ended"
    );
}
