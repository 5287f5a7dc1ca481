//! Integration tests: households at the kiosk and on their phones.

use std::time::Duration;

use crate::helpers::{spawn_app, spawn_with, test_settings};

#[actix_web::test]
async fn a_household_signs_in_at_the_kiosk_and_leaves_nothing_behind() {
    let app = spawn_app().await;
    let v = app.village("k1");
    app.household(&v, "0107", "104729");
    let kiosk = app.browser();
    let start = kiosk.get("/kiosk/k1").await;
    assert_eq!(start.status, 200);
    assert!(
        start.body.contains("http-equiv=\"refresh\""),
        "the kiosk returns to its start by itself"
    );
    let login = kiosk
        .post("/kiosk/k1/login", &[("number", "0107"), ("pin", "104729")])
        .await;
    assert_eq!(login.status, 303);
    assert_eq!(login.location.as_deref(), Some("/kiosk/k1/home"));
    let home = kiosk.get("/kiosk/k1/home").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("0107"));
    assert!(home.body.contains("张**"), "the head's name is masked");
    assert!(!home.body.contains("张三丰"));
    assert!(home.body.contains("content=\"120;url=/kiosk/k1\""));

    let out = kiosk.post("/kiosk/k1/logout", &[]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/kiosk/k1"));
    let cleared = out.headers.get_all("set-cookie").iter().any(|c| {
        let c = c.to_str().unwrap_or_default();
        c.starts_with("minyi=") && c.contains("Max-Age=0")
    });
    assert!(cleared, "the session cookie is removed at logout");
    let after = kiosk.get("/kiosk/k1/home").await;
    assert_eq!(after.status, 303, "nobody is signed in any more");
    let start = kiosk.get("/kiosk/k1").await;
    assert!(!start.body.contains("0107"));
}

#[actix_web::test]
async fn the_start_screen_signs_out_whoever_was_there() {
    let app = spawn_app().await;
    let v = app.village("k2");
    app.household(&v, "0108", "104729");
    let kiosk = app.browser();
    kiosk
        .post("/kiosk/k2/login", &[("number", "0108"), ("pin", "104729")])
        .await;
    assert_eq!(kiosk.get("/kiosk/k2/home").await.status, 200);
    kiosk.get("/kiosk/k2").await; // where the meta refresh leads after inactivity
    assert_eq!(kiosk.get("/kiosk/k2/home").await.status, 303);
}

#[actix_web::test]
async fn an_idle_kiosk_session_expires_on_the_server_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    settings.kiosk_idle_timeout = Duration::from_secs(1);
    settings.kiosk_form_timeout = Duration::from_secs(1);
    let app = spawn_with(settings, dir).await;
    let v = app.village("k3");
    app.household(&v, "0109", "104729");
    let kiosk = app.browser();
    kiosk
        .post("/kiosk/k3/login", &[("number", "0109"), ("pin", "104729")])
        .await;
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(kiosk.get("/kiosk/k3/home").await.status, 303);
}

#[actix_web::test]
async fn a_wrong_pin_keeps_the_number_and_five_lock_the_household() {
    let app = spawn_app().await;
    let v = app.village("k4");
    app.household(&v, "0110", "104729");
    let kiosk = app.browser();
    for _ in 0..5 {
        let page = kiosk
            .post("/kiosk/k4/login", &[("number", "0110"), ("pin", "000001")])
            .await;
        assert_eq!(page.status, 422);
        assert!(page.body.contains("value=\"0110\""));
        assert!(page.body.contains("户号或密码不对"));
    }
    let locked = kiosk
        .post("/kiosk/k4/login", &[("number", "0110"), ("pin", "104729")])
        .await;
    assert_eq!(locked.status, 429);
}

#[actix_web::test]
async fn sessions_stay_in_their_village_and_channel() {
    let app = spawn_app().await;
    let a = app.village("k5");
    app.village("k6");
    app.household(&a, "0111", "104729");
    let phone = app.browser();
    let login = phone
        .post("/v/k5/login", &[("number", "0111"), ("pin", "104729")])
        .await;
    assert_eq!(login.location.as_deref(), Some("/v/k5/me"));
    assert_eq!(phone.get("/v/k5/me").await.status, 200);
    assert_eq!(
        phone.get("/v/k6/me").await.status,
        303,
        "not a household of k6"
    );
    assert_eq!(
        phone.get("/kiosk/k5/home").await.status,
        303,
        "a phone session is not a kiosk session"
    );
    let elsewhere = app
        .browser()
        .post("/v/k6/login", &[("number", "0111"), ("pin", "104729")])
        .await;
    assert_eq!(
        elsewhere.status, 422,
        "households sign in only in their own village"
    );
    assert_eq!(app.browser().get("/kiosk/nowhere").await.status, 404);
}

#[actix_web::test]
async fn odd_input_never_breaks_the_login() {
    let app = spawn_app().await;
    app.village("k7");
    let kiosk = app.browser();
    for (number, pin) in [
        ("", ""),
        ("'; DROP TABLE households; --", "1"),
        (&"9".repeat(5000) as &str, "x"),
        ("户号", "１２３４５６"),
    ] {
        let page = kiosk
            .post("/kiosk/k7/login", &[("number", number), ("pin", pin)])
            .await;
        assert!(
            page.status == 422 || page.status == 429,
            "{number}: {}",
            page.status
        );
    }
}

#[actix_web::test]
async fn a_kiosk_ballot_form_waits_longer_than_other_kiosk_screens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    settings.kiosk_idle_timeout = Duration::from_secs(90);
    settings.kiosk_form_timeout = Duration::from_secs(480);
    let app = spawn_with(settings, dir).await;
    let v = app.village("k8");
    app.household(&v, "0112", "104729");
    app.staff(
        "clerk.k8",
        minyi::accounts::domain::Role::Clerk,
        minyi::accounts::domain::Scope::Village(v.id),
    );
    let clerk = app.browser();
    clerk.login_staff("clerk.k8").await;
    let created = clerk
        .post(
            "/staff/v/k8/rounds/new",
            &[
                ("title", "征集"),
                ("year", "2027"),
                ("opens_at", "2026-01-01T08:00"),
                ("closes_at", "2099-01-01T08:00"),
                ("min_suggestions", "1"),
                ("max_suggestions", "2"),
                ("categories", "其他"),
            ],
        )
        .await;
    let round = created.location.expect("round page");
    clerk
        .post(&format!("{round}/state"), &[("action", "open")])
        .await;
    let kiosk = app.browser();
    kiosk
        .post("/kiosk/k8/login", &[("number", "0112"), ("pin", "104729")])
        .await;
    assert!(
        kiosk
            .get("/kiosk/k8/home")
            .await
            .body
            .contains("content=\"90;url=/kiosk/k8\"")
    );
    assert!(
        kiosk
            .get("/kiosk/k8/ballot")
            .await
            .body
            .contains("content=\"480;url=/kiosk/k8\"")
    );
}
