//! Integration tests: a ballot (or review answers, or an objection) submitted at the kiosk after
//! the server already ended the kiosk session (script off, or the warning ignored) is not saved,
//! and the start screen says so in large type, once, to that browser only, without a word about
//! the household (issue 10).

use std::time::Duration;

use minyi::accounts::domain::{Role, Scope};

use crate::collection::ballots;
use crate::helpers::{Browser, TestApp, Village, spawn_with, test_settings};

/// What the start screen says after a lost submit, in each language.
const LOST_ZH: &str = "户票没有保存";
const LOST_EN: &str = "was NOT saved";

/// An app whose kiosk sessions end after one second, a village with two households and an open
/// round; returns the app, the village and the round's id.
async fn short_kiosk(code: &str) -> (TestApp, Village, i64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    settings.kiosk_idle_timeout = Duration::from_secs(1);
    settings.kiosk_form_timeout = Duration::from_secs(1);
    let app = spawn_with(settings, dir).await;
    let v = app.village(code);
    app.household(&v, "0101", "104729");
    app.household(&v, "0102", "104730");
    app.staff(&format!("clerk.{code}"), Role::Clerk, Scope::Village(v.id));
    let clerk = app.browser();
    clerk.login_staff(&format!("clerk.{code}")).await;
    let created = clerk
        .post(
            &format!("/staff/v/{code}/rounds/new"),
            &[
                ("title", "2027年度征集"),
                ("year", "2027"),
                ("opens_at", "2026-01-01T08:00"),
                ("closes_at", "2099-12-31T18:00"),
                ("min_suggestions", "1"),
                ("max_suggestions", "2"),
                ("categories", "照明\n其他"),
            ],
        )
        .await;
    let location = created.location.expect("round page");
    let round = location
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("round id");
    let opened = clerk
        .post(&format!("{location}/state"), &[("action", "open")])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    (app, v, round)
}

/// Signs in at the kiosk and opens the ballot form; the form's CSRF token.
async fn ballot_form(kiosk: &Browser, code: &str, number: &str, pin: &str) -> String {
    let login = kiosk
        .post(
            &format!("/kiosk/{code}/login"),
            &[("number", number), ("pin", pin)],
        )
        .await;
    assert_eq!(login.status, 303);
    let form = kiosk.get(&format!("/kiosk/{code}/ballot")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    form.csrf().expect("the ballot form's token")
}

/// Submits the ballot form as the browser would, with the token the form carried.
async fn submit(kiosk: &Browser, path: &str, token: &str, step: &str) -> crate::helpers::Page {
    kiosk
        .post_raw(
            path,
            &[
                ("csrf", token),
                ("expected_version", "0"),
                ("category", "照明"),
                ("title", "修路灯张三家门口"),
                ("details", ""),
                ("place", "村口"),
                ("cost", "3000"),
                ("step", step),
            ],
        )
        .await
}

#[actix_web::test]
async fn a_kiosk_ballot_sent_after_the_limit_is_not_saved_and_the_start_screen_says_so() {
    let (app, _, round) = short_kiosk("kx1").await;
    let kiosk = app.browser();
    let token = ballot_form(&kiosk, "kx1", "0101", "104729").await;
    let audited = app.audit_actions().len();
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;

    // The confirmation arrives after the server ended the session: back to the start screen.
    let late = submit(&kiosk, "/kiosk/kx1/ballot/confirm", &token, "confirm").await;
    assert_eq!(late.status, 303, "{}", late.body);
    assert_eq!(late.location.as_deref(), Some("/kiosk/kx1"));
    let start = kiosk.get("/kiosk/kx1").await;
    assert_eq!(start.status, 200);
    assert!(start.body.contains(LOST_ZH), "{}", start.body);
    assert!(
        start.body.contains("class=\"alert lost-submit\""),
        "large type"
    );
    for private in ["0101", "张", "修路灯", "村口"] {
        assert!(
            !start.body.contains(private),
            "the start screen shows {private}"
        );
    }
    assert!(ballots(&app, round).is_empty(), "no ballot was written");
    assert_eq!(app.audit_actions().len(), audited, "nothing was written");

    // Said once: the next look at the start screen is the plain one.
    let again = kiosk.get("/kiosk/kx1").await;
    assert!(!again.body.contains(LOST_ZH));
    // A fresh visitor never sees it.
    let stranger = app.browser().get("/kiosk/kx1").await;
    assert!(!stranger.body.contains(LOST_ZH));

    // The preview step, in English this time.
    kiosk.get("/lang/en?next=/kiosk/kx1").await;
    let token = ballot_form(&kiosk, "kx1", "0101", "104729").await;
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    let late = submit(&kiosk, "/kiosk/kx1/ballot", &token, "preview").await;
    assert_eq!(late.location.as_deref(), Some("/kiosk/kx1"));
    let start = kiosk.get("/kiosk/kx1").await;
    assert!(start.body.contains(LOST_EN), "{}", start.body);
    assert!(!start.body.contains(LOST_ZH));
    assert!(ballots(&app, round).is_empty(), "no ballot was written");
    assert_eq!(app.audit_actions().len(), audited + 1, "only the sign-in");
}

#[actix_web::test]
async fn the_next_person_after_a_hand_over_is_told_nothing() {
    let (app, _, round) = short_kiosk("kx2").await;
    let kiosk = app.browser();
    let token = ballot_form(&kiosk, "kx2", "0102", "104730").await;
    let cast = submit(&kiosk, "/kiosk/kx2/ballot/confirm", &token, "confirm").await;
    assert_eq!(cast.location.as_deref(), Some("/kiosk/kx2/receipt"));
    assert_eq!(ballots(&app, round).len(), 1);
    // The next person sends the old form again, in time and after the limit: the start screen,
    // and no word about a lost ballot (nothing of anybody's was lost).
    let token = kiosk
        .get("/kiosk/kx2/receipt")
        .await
        .csrf()
        .expect("完成 carries a token");
    let replay = submit(&kiosk, "/kiosk/kx2/ballot/confirm", &token, "confirm").await;
    assert_eq!(replay.location.as_deref(), Some("/kiosk/kx2"));
    assert!(!kiosk.get("/kiosk/kx2").await.body.contains(LOST_ZH));
    let token = kiosk.get("/kiosk/kx2").await.csrf().expect("a token");
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    let replay = submit(&kiosk, "/kiosk/kx2/ballot", &token, "preview").await;
    assert_eq!(replay.location.as_deref(), Some("/kiosk/kx2"));
    assert!(!kiosk.get("/kiosk/kx2").await.body.contains(LOST_ZH));
    assert_eq!(ballots(&app, round).len(), 1, "nothing else was written");
}

#[actix_web::test]
async fn kiosk_review_answers_sent_after_the_limit_are_not_saved_either() {
    let (app, _, _) = short_kiosk("kx3").await;
    let clerk = app.browser();
    clerk.login_staff("clerk.kx3").await;
    let form = clerk.get("/staff/v/kx3/reviews/new").await;
    let once = form.field("once").expect("once token");
    let created = clerk
        .post(
            "/staff/v/kx3/reviews/new",
            &[
                ("year", "2026"),
                ("half", "second"),
                ("opens_at", "2026-01-01T08:00"),
                ("closes_at", "2099-12-31T18:00"),
                ("free_items", "村务公开工作"),
                ("once", &once),
            ],
        )
        .await;
    let base = created.location.expect("review page");
    let opened = clerk
        .post(&format!("{base}/state"), &[("action", "open")])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);

    let kiosk = app.browser();
    kiosk
        .post("/kiosk/kx3/login", &[("number", "0101"), ("pin", "104729")])
        .await;
    let form = kiosk.get("/kiosk/kx3/review").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = form.csrf().expect("the review form's token");
    let audited = app.audit_actions().len();
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    let late = kiosk
        .post_raw(
            "/kiosk/kx3/review/confirm",
            &[("csrf", token.as_str()), ("step", "confirm")],
        )
        .await;
    assert_eq!(
        late.location.as_deref(),
        Some("/kiosk/kx3"),
        "{}",
        late.body
    );
    let start = kiosk.get("/kiosk/kx3").await;
    assert!(start.body.contains("评议没有保存"), "{}", start.body);
    assert!(!start.body.contains(LOST_ZH), "not called a ballot");
    let answers: i64 = app.with_conn(|c| {
        use diesel::prelude::*;
        use minyi::db::schema::review_answers as ra;
        ra::table.count().get_result(c).expect("count")
    });
    assert_eq!(answers, 0, "no answer was written");
    assert_eq!(app.audit_actions().len(), audited, "nothing was written");
}

#[actix_web::test]
async fn a_kiosk_objection_sent_after_the_limit_is_not_filed_and_the_start_screen_says_so() {
    let (app, v, _) = short_kiosk("kx4").await;
    let notice = crate::notices::published(&app, &v, "村道硬化方案", None, 0);
    let kiosk = app.browser();
    kiosk
        .post("/kiosk/kx4/login", &[("number", "0101"), ("pin", "104729")])
        .await;
    let path = format!("/kiosk/kx4/notices/{notice}/object");
    let form = kiosk.get(&path).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let token = form.csrf().expect("the objection form's token");
    let audited = app.audit_actions().len();
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    let late = kiosk
        .post_raw(&path, &[("csrf", token.as_str()), ("body", "路太窄")])
        .await;
    assert_eq!(
        late.location.as_deref(),
        Some("/kiosk/kx4"),
        "{}",
        late.body
    );
    let start = kiosk.get("/kiosk/kx4").await;
    assert!(start.body.contains("异议没有提交成功"), "{}", start.body);
    assert!(!start.body.contains("路太窄"));
    let objections: i64 = app.with_conn(|c| {
        use diesel::prelude::*;
        use minyi::db::schema::objections as o;
        o::table.count().get_result(c).expect("count")
    });
    assert_eq!(objections, 0, "no objection was filed");
    assert_eq!(app.audit_actions().len(), audited, "nothing was written");
}
