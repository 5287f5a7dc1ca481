//! Text that cannot be stored, on the forms the staff walk (`text`) does not cover: a
//! household's ballot (kiosk and phone, preview and confirm), its review answers and its
//! objection, and the sign-in forms (staff, household at the kiosk and on the phone, the second
//! factor). A NUL put into each field in turn is a 422 that writes nothing (no audit row, no
//! attempt counted, no ballot, answer or objection) and shows the form again with the other
//! typed values and the message; a PIN, password or code is never shown again.

use minyi::accounts::domain::{Role, Scope};
use minyi::auth::totp;

use super::shows;
use crate::helpers::{Browser, STAFF_PASSWORD, TestApp};
use crate::reviews::{PIN, open_review_with};

/// Fields never shown again: secrets.
const SECRET: &[&str] = &["pin", "password", "code"];
/// Fields that are not typed (the button pressed, hidden values of the page).
const NOT_TYPED: &[&str] = &["step", "expected_version", "next"];

/// A form's fields as sent, in order.
type Fields = Vec<(String, String)>;

/// What askama writes for a value inside the page.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// Everything a refused form might have written: audit rows (sign-ins and attempts
/// included), ballots, review answers and objections.
fn written(app: &TestApp, round: i64, review: i64) -> (usize, usize, (i64, i64), usize) {
    let objections = app.with_conn(|c| {
        use diesel::prelude::*;
        use minyi::db::schema::objections::dsl as o;
        o::objections
            .count()
            .get_result::<i64>(c)
            .expect("objections")
    });
    // The refusal itself is recorded (`request.refused`); anything else would be a write.
    let audit = app.audit_actions();
    (
        audit
            .iter()
            .filter(|(a, _, _)| a != "request.refused")
            .count(),
        crate::collection::ballots(app, round).len(),
        crate::reviews::stored(app, review),
        usize::try_from(objections).unwrap_or(0),
    )
}

/// Signs `username` in with its password and enrols a second factor: its next sign-in waits
/// for a code.
async fn enrol(app: &TestApp, username: &str) {
    let browser = app.browser();
    browser.login_staff(username).await;
    let page = browser.get("/staff/2fa").await;
    let marker = "id=\"totp-secret\">";
    let start = page.body.find(marker).expect("the secret") + marker.len();
    let end = page.body[start..].find('<').expect("end") + start;
    let secret = totp::base32_decode(&page.body[start..end]).expect("base32");
    let code = totp::code_at(&secret, chrono::Utc::now().timestamp());
    let done = browser.post("/staff/2fa", &[("code", &code)]).await;
    assert_eq!(done.status, 200, "{}", done.body);
}

#[actix_web::test]
async fn a_nul_in_any_field_of_a_household_or_sign_in_form_is_a_422_with_the_form_kept() {
    let mut notice = 0;
    let s = open_review_with("hnul", 2, "first", |app, v| {
        notice = crate::notices::published(app, v, "村道硬化方案", None, 0);
    })
    .await;
    let (app, code) = (&s.app, "hnul");
    let round = crate::collection::create_and_open(&s.clerk, code, false).await;
    let comment = format!("comment-{}", s.items[0]);
    let mut review_fields: Vec<(String, String)> = Vec::new();
    for id in &s.items {
        review_fields.push((format!("rating-{id}"), "satisfied".into()));
    }
    review_fields.push((comment.clone(), "公开栏更新及时".into()));
    app.staff(
        "guard.hnul",
        Role::Clerk,
        Scope::Village(app_village(app, code)),
    );
    enrol(app, "guard.hnul").await;

    let phone = crate::reviews::phone(app, code, "0101").await;
    let kiosk = app.browser();
    let at_kiosk = kiosk
        .post(
            &format!("/kiosk/{code}/login"),
            &[("number", "0102"), ("pin", PIN)],
        )
        .await;
    assert_eq!(at_kiosk.status, 303, "{}", at_kiosk.body);
    let waiting = app.browser();
    let step = waiting
        .post(
            "/login",
            &[
                ("username", "guard.hnul"),
                ("password", STAFF_PASSWORD),
                ("next", "/staff"),
            ],
        )
        .await;
    assert_eq!(step.location.as_deref(), Some("/login/2fa"));
    let stranger = app.browser();

    let s_ = |k: &str, v: &str| (k.to_string(), v.to_string());
    let ballot = |step: &str| {
        vec![
            s_("expected_version", "0"),
            s_("category", "照明"),
            s_("title", "装路灯"),
            s_("details", "二组到小学一段没有路灯"),
            s_("place", "二组"),
            s_("cost", "8000"),
            s_("step", step),
        ]
    };
    let with_step = |mut f: Vec<(String, String)>, step: &str| {
        f.push(s_("step", step));
        f
    };
    let forms: Vec<(&Browser, String, Fields)> = vec![
        (&phone, format!("/v/{code}/ballot"), ballot("preview")),
        (
            &phone,
            format!("/v/{code}/ballot/confirm"),
            ballot("confirm"),
        ),
        (&kiosk, format!("/kiosk/{code}/ballot"), ballot("preview")),
        (
            &kiosk,
            format!("/kiosk/{code}/ballot/confirm"),
            ballot("confirm"),
        ),
        (
            &phone,
            format!("/v/{code}/review"),
            with_step(review_fields.clone(), "preview"),
        ),
        (
            &phone,
            format!("/v/{code}/review/confirm"),
            with_step(review_fields.clone(), "confirm"),
        ),
        (
            &phone,
            format!("/v/{code}/notices/{notice}/object"),
            vec![s_("body", "路灯位置离学校太远")],
        ),
        (
            &stranger,
            "/login".to_string(),
            vec![
                s_("username", "guard.hnul"),
                s_("password", STAFF_PASSWORD),
                s_("next", "/staff"),
            ],
        ),
        (
            &stranger,
            format!("/v/{code}/login"),
            vec![s_("number", "0101"), s_("pin", PIN)],
        ),
        (
            &stranger,
            format!("/kiosk/{code}/login"),
            vec![s_("number", "0102"), s_("pin", PIN)],
        ),
        (
            &waiting,
            "/login/2fa".to_string(),
            vec![s_("code", "123456")],
        ),
    ];
    let before = written(app, round, s.review);
    let mut not_clean = Vec::new();
    for (browser, path, fields) in &forms {
        for i in 0..fields.len() {
            let mut sent = fields.clone();
            sent[i].1.push('\0');
            let bad = sent[i].0.clone();
            let pairs: Vec<(&str, &str)> =
                sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let page = browser.post(path, &pairs).await;
            let what = format!("POST {path} with a NUL in {bad}");
            if page.status != 422 {
                not_clean.push(format!("{what}: {}", page.status));
                continue;
            }
            if !shows(&page, "error.invalid_text_field") {
                not_clean.push(format!("{what}: 422 without the field's message"));
            }
            for (k, v) in fields {
                let secret = SECRET.contains(&k.as_str());
                if secret && page.body.contains(v.as_str()) {
                    not_clean.push(format!("{what}: the page shows the {k}"));
                }
                let typed = !secret && !NOT_TYPED.contains(&k.as_str());
                if typed && *k != bad && !v.is_empty() && !page.body.contains(&escaped(v)) {
                    not_clean.push(format!("{what}: the page lost {k}"));
                }
            }
        }
    }
    assert_eq!(
        written(app, round, s.review),
        before,
        "(audit rows, ballots, review answers, objections) after the NULs"
    );
    assert!(not_clean.is_empty(), "not a clean answer: {not_clean:#?}");
    // The sign-ins still work: nothing was counted against them.
    let ok = stranger
        .post(
            &format!("/v/{code}/login"),
            &[("number", "0101"), ("pin", PIN)],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
}

fn app_village(app: &TestApp, code: &str) -> i64 {
    use diesel::prelude::*;
    use minyi::db::schema::villages::dsl as v;
    app.with_conn(|c| {
        v::villages
            .filter(v::code.eq(code))
            .select(v::id)
            .first(c)
            .expect("village")
    })
}
