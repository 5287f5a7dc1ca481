//! Integration tests: households at the kiosk and on their phones.

use std::sync::Arc;
use std::time::Duration;

use reqwest::cookie::CookieStore;

use crate::collection::{ballots, open_round, receipt_on};
use crate::helpers::{Browser, spawn_app, spawn_with, test_settings};

#[actix_web::test]
async fn a_household_signs_in_at_the_kiosk_and_leaves_nothing_behind() {
    let app = spawn_app().await;
    let v = app.village("k1");
    app.household(&v, "0107", "104729");
    let kiosk = app.browser();
    let start = kiosk.get("/kiosk/k1").await;
    assert_eq!(start.status, 200);
    assert!(
        !start.body.contains("http-equiv=\"refresh\""),
        "no meta refresh (axe-core: critical)"
    );
    assert!(
        start.body.contains("class=\"idle-over\""),
        "the kiosk covers itself when left alone"
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
    assert!(home.body.contains("href=\"/kiosk/k1/idle.css?after=120\""));
    assert!(!home.body.contains("http-equiv=\"refresh\""));

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
    // What the next person can read: the text, not the random form tokens in the attributes
    // (a token may contain "0107" by chance).
    let mut shown = String::new();
    let mut in_tag = false;
    for c in start.body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => shown.push(c),
            _ => {}
        }
    }
    assert!(!shown.contains("0107"), "{shown}");
    assert!(!shown.contains("张"), "{shown}");
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
    kiosk.get("/kiosk/k2").await; // where the idle panel's button leads
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
            .contains("/kiosk/k8/idle.css?after=90\"")
    );
    assert!(
        kiosk
            .get("/kiosk/k8/ballot")
            .await
            .body
            .contains("/kiosk/k8/idle.css?after=480\"")
    );
    let css = kiosk.get("/kiosk/k8/idle.css?after=480").await;
    assert_eq!(css.status, 200);
    assert!(
        css.body
            .contains(".idle-warning{animation:idle-show 0s linear 420s forwards}"),
        "the warning comes a minute before: {}",
        css.body
    );
    assert!(
        css.body
            .contains(".idle-over{animation:idle-show 0s linear 480s forwards}")
    );
    assert_eq!(kiosk.get("/kiosk/k8/idle.css?after=x").await.status, 400);
}

/// Casts a one-suggestion ballot at the kiosk of `code` from version `expected`.
async fn kiosk_confirm(kiosk: &Browser, code: &str, expected: &str) -> crate::helpers::Page {
    kiosk
        .post(
            &format!("/kiosk/{code}/ballot/confirm"),
            &[
                ("expected_version", expected),
                ("category", "照明"),
                ("title", "修路灯"),
                ("details", ""),
                ("place", "村口"),
                ("cost", "3000"),
                ("step", "confirm"),
            ],
        )
        .await
}

#[actix_web::test]
async fn after_a_kiosk_ballot_the_next_person_can_neither_open_nor_change_it() {
    let s = open_round("kh1", false).await;
    // A cookie jar of our own, so the cookie held before the ballot can be replayed afterwards.
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let kiosk = Browser {
        client,
        base: s.app.base.clone(),
    };
    let login = kiosk
        .post("/kiosk/kh1/login", &[("number", "0101"), ("pin", "104729")])
        .await;
    assert_eq!(login.status, 303);
    assert_eq!(kiosk.get("/kiosk/kh1/ballot").await.status, 200);
    let base_url: reqwest::Url = s.app.base.parse().expect("url");
    let before_ballot = jar.cookies(&base_url).expect("a session cookie");

    let cast = kiosk_confirm(&kiosk, "kh1", "0").await;
    assert_eq!(cast.status, 303, "{}", cast.body);
    assert_eq!(cast.location.as_deref(), Some("/kiosk/kh1/receipt"));
    let receipt = kiosk.get("/kiosk/kh1/receipt").await;
    assert_eq!(receipt.status, 200);
    let code = receipt_on(&receipt.body);
    assert!(
        receipt.body.contains("action=\"/kiosk/kh1/logout\""),
        "完成 signs out: {}",
        receipt.body
    );
    assert!(
        !receipt.body.contains("/kiosk/kh1/ballot"),
        "no way back into the ballot from the kiosk receipt"
    );
    assert!(
        !receipt.body.contains("0101"),
        "the receipt names no household"
    );

    // The next person, same browser, without pressing 完成: nothing of household 0101 opens.
    for path in ["/kiosk/kh1/ballot", "/kiosk/kh1/home"] {
        let page = kiosk.get(path).await;
        assert_eq!(page.status, 303, "{path} answered {}", page.status);
        assert_eq!(page.location.as_deref(), Some("/kiosk/kh1"));
    }
    let changed = kiosk_confirm(&kiosk, "kh1", "1").await;
    assert_eq!(changed.status, 303);
    assert_eq!(changed.location.as_deref(), Some("/kiosk/kh1"));
    let preview = kiosk
        .post(
            "/kiosk/kh1/ballot",
            &[("step", "edit"), ("expected_version", "1")],
        )
        .await;
    assert_eq!(preview.status, 303);
    let versions: Vec<i32> = ballots(&s.app, s.round).iter().map(|b| b.2).collect();
    assert_eq!(versions, vec![1], "the ballot was not changed");

    // The cookie the browser held before the ballot acts for nobody on the server either.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for path in ["/kiosk/kh1/ballot", "/kiosk/kh1/home", "/kiosk/kh1/receipt"] {
        let answer = replay
            .get(format!("{}{path}", s.app.base))
            .header("cookie", before_ballot.clone())
            .send()
            .await
            .expect("GET");
        assert_eq!(
            answer.status().as_u16(),
            303,
            "replayed cookie opened {path}"
        );
    }

    // 完成 clears the receipt too; a fresh sign-in may revise.
    let done = kiosk.post("/kiosk/kh1/logout", &[]).await;
    assert_eq!(done.location.as_deref(), Some("/kiosk/kh1"));
    assert_eq!(kiosk.get("/kiosk/kh1/receipt").await.status, 303);
    kiosk
        .post("/kiosk/kh1/login", &[("number", "0101"), ("pin", "104729")])
        .await;
    let again = kiosk.get("/kiosk/kh1/ballot").await;
    assert_eq!(again.status, 200, "a fresh sign-in may revise");
    assert!(again.body.contains("修路灯"));
    assert!(!code.is_empty());
}

/// A slow typist (issue 10): no page request while a ballot is typed, only the kiosk script's
/// keep-alive posts. They keep the kiosk session past its limit; a forged or anonymous one
/// keeps nothing.
#[actix_web::test]
async fn typing_keeps_the_kiosk_session_alive_through_the_keep_alive_post() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    settings.kiosk_idle_timeout = Duration::from_secs(4);
    settings.kiosk_form_timeout = Duration::from_secs(4);
    let app = spawn_with(settings, dir).await;
    let v = app.village("k9");
    app.household(&v, "0109", "104729");
    let kiosk = app.browser();
    kiosk
        .post("/kiosk/k9/login", &[("number", "0109"), ("pin", "104729")])
        .await;
    let token = kiosk.csrf().await;
    // No CSRF token: refused, whoever asks.
    assert_eq!(kiosk.post_raw("/kiosk/k9/alive", &[]).await.status, 403);
    for _ in 0..6 {
        actix_web::rt::time::sleep(Duration::from_millis(1000)).await;
        let alive = kiosk
            .post_raw("/kiosk/k9/alive", &[("csrf", token.as_str())])
            .await;
        assert_eq!(alive.status, 204, "{}", alive.body);
    }
    // Six seconds after the last page request, four after which the limit would have ended it.
    assert_eq!(kiosk.get("/kiosk/k9/home").await.status, 200);

    // Nobody signed in: 401, and the script covers the page.
    let stranger = app.browser();
    let token = stranger.csrf().await;
    let refused = stranger
        .post_raw("/kiosk/k9/alive", &[("csrf", token.as_str())])
        .await;
    assert_eq!(refused.status, 401);
}
