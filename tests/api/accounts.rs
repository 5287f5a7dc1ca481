//! Integration tests: staff sign-in, throttling, passwords, sessions, language and error pages.

use std::time::Duration;

use minyi::accounts::domain::{Role, Scope};

use crate::helpers::{STAFF_PASSWORD, spawn_app, spawn_with, test_settings};

#[actix_web::test]
async fn staff_sign_in_and_out() {
    let app = spawn_app().await;
    let v = app.village("a1");
    app.staff("clerk.a1", Role::Clerk, Scope::Village(v.id));
    let browser = app.browser();
    let anonymous = browser.get("/staff").await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.location.as_deref(), Some("/login?next=/staff"));

    browser.login_staff("clerk.a1").await;
    let dashboard = browser.get("/staff").await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("/staff/v/a1/households"));

    let out = browser.post("/logout", &[]).await;
    assert_eq!(out.status, 303);
    assert_eq!(browser.get("/staff").await.status, 303, "signed out");
    let logins: Vec<_> = app
        .audit_actions()
        .into_iter()
        .filter(|a| a.0 == "staff.login")
        .collect();
    assert_eq!(logins.len(), 1);
    assert_eq!(logins[0].2, "ok");
}

#[actix_web::test]
async fn a_wrong_password_says_so_and_five_lock_the_account() {
    let app = spawn_app().await;
    let v = app.village("a2");
    app.staff("clerk.a2", Role::Clerk, Scope::Village(v.id));
    let browser = app.browser();
    for _ in 0..4 {
        let page = browser
            .post(
                "/login",
                &[("username", "clerk.a2"), ("password", "wrong-Password-1")],
            )
            .await;
        assert_eq!(page.status, 422);
        assert!(page.body.contains("用户名或密码不对"));
        assert!(
            page.body.contains("value=\"clerk.a2\""),
            "the username is kept"
        );
    }
    let fifth = browser
        .post(
            "/login",
            &[("username", "clerk.a2"), ("password", "wrong-Password-1")],
        )
        .await;
    assert_eq!(fifth.status, 422);
    let locked = browser
        .post(
            "/login",
            &[("username", "clerk.a2"), ("password", STAFF_PASSWORD)],
        )
        .await;
    assert_eq!(
        locked.status, 429,
        "even the right password waits out the lock"
    );
    assert!(locked.body.contains("暂停登录 15 分钟"));
    let denied = app
        .audit_actions()
        .into_iter()
        .filter(|a| a.0 == "staff.login" && a.2 == "denied")
        .count();
    assert_eq!(denied, 6);
}

#[actix_web::test]
async fn an_unknown_username_gets_the_same_answer_as_a_wrong_password() {
    let app = spawn_app().await;
    let page = app
        .browser()
        .post(
            "/login",
            &[("username", "nobody"), ("password", "whatever-1A")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("用户名或密码不对"));
}

/// Past the address limit, guesses from one address are slowed, never let through; correct
/// credentials still work (see `security::throttle` for the timing and the kiosk case).
#[actix_web::test]
async fn one_address_walking_through_accounts_is_slowed_but_never_let_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    settings.address_delay = Duration::from_millis(1);
    let app = spawn_with(settings, dir).await;
    let browser = app.browser();
    for n in 0..32 {
        let name = format!("guess{n}");
        let page = browser
            .post(
                "/login",
                &[("username", &name), ("password", "whatever-1A")],
            )
            .await;
        assert_eq!(page.status, 422, "attempt {n}");
    }
}

#[actix_web::test]
async fn after_login_next_stays_on_this_site() {
    let app = spawn_app().await;
    let v = app.village("a3");
    app.staff("clerk.a3", Role::Clerk, Scope::Village(v.id));
    let browser = app.browser();
    let page = browser
        .post(
            "/login",
            &[
                ("username", "clerk.a3"),
                ("password", STAFF_PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/staff"));
    let browser = app.browser();
    let page = browser
        .post(
            "/login",
            &[
                ("username", "clerk.a3"),
                ("password", STAFF_PASSWORD),
                ("next", "/staff/v/a3/households"),
            ],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/staff/v/a3/households"));
}

#[actix_web::test]
async fn changing_the_password_checks_strength_and_the_current_one() {
    let app = spawn_app().await;
    let v = app.village("a4");
    app.staff("clerk.a4", Role::Clerk, Scope::Village(v.id));
    let browser = app.browser();
    browser.login_staff("clerk.a4").await;
    let weak = browser
        .post(
            "/staff/password",
            &[
                ("current", STAFF_PASSWORD),
                ("new", "short"),
                ("repeat", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("密码太短"));
    let wrong = browser
        .post(
            "/staff/password",
            &[
                ("current", "nope"),
                ("new", "Lantern-Rice-2027!"),
                ("repeat", "Lantern-Rice-2027!"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("当前密码不对"));
    let differ = browser
        .post(
            "/staff/password",
            &[
                ("current", STAFF_PASSWORD),
                ("new", "Lantern-Rice-2027!"),
                ("repeat", "Lantern-Rice-2028!"),
            ],
        )
        .await;
    assert!(differ.body.contains("两次输入的新密码不一致"));
    let ok = browser
        .post(
            "/staff/password",
            &[
                ("current", STAFF_PASSWORD),
                ("new", "Lantern-Rice-2027!"),
                ("repeat", "Lantern-Rice-2027!"),
            ],
        )
        .await;
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains("密码已修改"));
    let fresh = app.browser();
    let page = fresh
        .post(
            "/login",
            &[("username", "clerk.a4"), ("password", "Lantern-Rice-2027!")],
        )
        .await;
    assert_eq!(page.status, 303);
}

#[actix_web::test]
async fn an_idle_staff_session_expires_on_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    settings.staff_idle_timeout = Duration::from_secs(1);
    let app = spawn_with(settings, dir).await;
    let v = app.village("a5");
    app.staff("clerk.a5", Role::Clerk, Scope::Village(v.id));
    let browser = app.browser();
    browser.login_staff("clerk.a5").await;
    assert_eq!(browser.get("/staff").await.status, 200);
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        browser.get("/staff").await.status,
        303,
        "idle too long: back to login"
    );
    // The login form after expiry still works (its token is kept).
    browser.login_staff("clerk.a5").await;
}

#[actix_web::test]
async fn pages_speak_the_chosen_language() {
    let app = spawn_app().await;
    app.village("a6");
    let browser = app.browser();
    let zh = browser.get("/v/a6").await;
    assert!(zh.body.contains("<html lang=\"zh-CN\">"));
    assert!(zh.body.contains("村民小组"));
    let switch = browser.get("/lang/en?next=/v/a6").await;
    assert_eq!(switch.status, 303);
    assert_eq!(switch.location.as_deref(), Some("/v/a6"));
    let en = browser.get("/v/a6").await;
    assert!(en.body.contains("<html lang=\"en\">"));
    assert!(en.body.contains("Villager groups"));
    let missing = browser.get("/v/nowhere").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    let away = browser.get("/lang/zh-CN?next=https://evil.example").await;
    assert_eq!(away.location.as_deref(), Some("/"));
}

#[actix_web::test]
async fn errors_are_friendly_pages_and_headers_are_secure() {
    let app = spawn_app().await;
    let browser = app.browser();
    let page = browser.get("/no/such/page").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("找不到页面"));
    assert!(page.body.contains("回到首页"));
    let headers = &page.headers;
    let csp = headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("script-src"), "no script is ever allowed");
    assert_eq!(
        headers
            .get("x-content-type-options")
            .map(|v| v.to_str().unwrap_or("")),
        Some("nosniff")
    );
    assert!(headers.get("referrer-policy").is_some());
    let home = browser.get("/").await;
    assert_eq!(
        home.headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap_or("")),
        Some("no-store")
    );
    assert!(
        home.headers.get("set-cookie").is_none(),
        "a page without forms sets no cookie"
    );
    let css = browser.get("/static/minyi.css").await;
    assert_eq!(css.status, 200);
    assert!(
        css.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .contains("max-age")
    );
}

#[actix_web::test]
async fn a_post_without_a_token_is_refused_with_a_page() {
    let app = spawn_app().await;
    let page = app
        .browser()
        .post_raw("/login", &[("username", "x"), ("password", "y")])
        .await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("表单已过期"));
    let garbled = app.browser().post_raw("/login", &[("csrf", "abc")]).await;
    assert_eq!(garbled.status, 403);
}
