//! Integration tests of satisfaction reviews: a clerk creates and opens a review, households
//! rate every item once at the kiosk (handed over to the next person as a ballot is) or on
//! their phones, a clerk types a paper sheet, results stay hidden until the close, items under
//! 1/3 are flagged (`reviews_flags.rs`). Privacy and races are in `reviews_privacy.rs`.

use std::sync::Arc;

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use reqwest::cookie::CookieStore;

use crate::helpers::{Browser, TestApp, spawn_app};

pub const PIN: &str = "104729";

pub struct Setup {
    pub app: TestApp,
    pub clerk: Browser,
    pub review: i64,
    pub base: String,
    /// Item ids in order.
    pub items: Vec<i64>,
}

/// A village with `households` households (0101…), a clerk with an email, and an open review
/// with two free items.
pub async fn open_review(code: &str, households: usize) -> Setup {
    open_review_with(code, households, "first", |_, _| {}).await
}

/// [`open_review`] of the given half of 2026, after `before` ran on the fresh village.
pub async fn open_review_with(
    code: &str,
    households: usize,
    half: &str,
    before: impl FnOnce(&TestApp, &crate::helpers::Village),
) -> Setup {
    let app = spawn_app().await;
    let v = app.village(code);
    before(&app, &v);
    for n in 0..households {
        app.household(&v, &format!("01{:02}", n + 1), PIN);
    }
    let username = format!("clerk.{code}");
    let clerk_id = app.staff(&username, Role::Clerk, Scope::Village(v.id));
    crate::security::set_email(&app, clerk_id, &format!("{code}@example.org"));
    let clerk = app.browser();
    clerk.login_staff(&username).await;
    let form = clerk.get(&format!("/staff/v/{code}/reviews/new")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let once = form.field("once").expect("once token");
    let created = clerk
        .post(
            &format!("/staff/v/{code}/reviews/new"),
            &[
                ("year", "2026"),
                ("half", half),
                ("opens_at", "2026-01-01T08:00"),
                ("closes_at", "2099-12-31T18:00"),
                ("free_items", "村务公开工作\n村委会工作"),
                ("once", &once),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let base = created.location.expect("location");
    let review: i64 = base
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let opened = clerk
        .post(&format!("{base}/state"), &[("action", "open")])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let items = app.with_conn(|c| {
        use minyi::db::schema::review_items as ri;
        ri::table
            .filter(ri::review_id.eq(review))
            .order(ri::position)
            .select(ri::id)
            .load::<i64>(c)
            .expect("items")
    });
    assert!(items.len() >= 2, "the free items at least: {items:?}");
    Setup {
        app,
        clerk,
        review,
        base,
        items,
    }
}

/// The rating fields for every item.
pub fn fields<'a>(items: &[i64], ratings: &[&'a str]) -> Vec<(String, &'a str)> {
    items
        .iter()
        .zip(ratings)
        .map(|(id, r)| (format!("rating-{id}"), *r))
        .collect()
}

pub async fn confirm(
    b: &Browser,
    base: &str,
    items: &[i64],
    ratings: &[&str],
) -> crate::helpers::Page {
    let owned = fields(items, ratings);
    let mut form: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    form.push(("step", "confirm"));
    b.post(&format!("{base}/review/confirm"), &form).await
}

pub async fn phone(app: &TestApp, code: &str, number: &str) -> Browser {
    let b = app.browser();
    let login = b
        .post(
            &format!("/v/{code}/login"),
            &[("number", number), ("pin", PIN)],
        )
        .await;
    assert_eq!(login.status, 303, "login of {number}");
    b
}

/// (participations, answers) stored for the review.
pub fn stored(app: &TestApp, review: i64) -> (i64, i64) {
    use minyi::db::schema::{review_answers as ra, review_items as ri, review_participation as rp};
    app.with_conn(|c| {
        let p = rp::table
            .filter(rp::review_id.eq(review))
            .count()
            .get_result(c)
            .expect("participation");
        let a = ra::table
            .inner_join(ri::table)
            .filter(ri::review_id.eq(review))
            .count()
            .get_result(c)
            .expect("answers");
        (p, a)
    })
}

#[actix_web::test]
async fn a_household_rates_at_the_kiosk_and_the_next_person_finds_nothing() {
    let s = open_review("rk1", 2).await;
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
        .post("/kiosk/rk1/login", &[("number", "0101"), ("pin", PIN)])
        .await;
    assert_eq!(login.status, 303);
    let home = kiosk.get("/kiosk/rk1/home").await;
    assert!(home.body.contains("/kiosk/rk1/review"), "{}", home.body);
    let form = kiosk.get("/kiosk/rk1/review").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("村务公开工作") && form.body.contains("不了解"));
    let base_url: reqwest::Url = s.app.base.parse().expect("url");
    let before = jar.cookies(&base_url).expect("a session cookie");

    // A missing rating comes back with the form, the choice kept, 422.
    let partial = kiosk
        .post(
            "/kiosk/rk1/review",
            &[
                (&format!("rating-{}", s.items[0]), "basic"),
                ("step", "preview"),
            ],
        )
        .await;
    assert_eq!(partial.status, 422, "{}", partial.body);
    assert!(partial.body.contains("aria-invalid=\"true\""));
    assert!(partial.body.contains("value=\"basic\" checked"));
    // Check your answers, then confirm.
    let owned = fields(&s.items, &["basic", "unknown"]);
    let mut preview_form: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    preview_form.push(("step", "preview"));
    let preview = kiosk.post("/kiosk/rk1/review", &preview_form).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("/kiosk/rk1/review/confirm"));
    let done = confirm(&kiosk, "/kiosk/rk1", &s.items, &["basic", "unknown"]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/kiosk/rk1/review/done"));
    let thanks = kiosk.get("/kiosk/rk1/review/done").await;
    assert_eq!(thanks.status, 200);
    assert!(
        !thanks.body.contains("0101"),
        "the thank-you page names no household"
    );
    assert!(!thanks.body.contains("基本满意"), "and shows no answer");
    assert_eq!(stored(&s.app, s.review), (1, 2));

    // The next person, same kiosk: nothing of 0101 opens, nothing can be sent for it.
    for path in ["/kiosk/rk1/review", "/kiosk/rk1/home"] {
        let page = kiosk.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert_eq!(page.location.as_deref(), Some("/kiosk/rk1"));
    }
    let again = confirm(
        &kiosk,
        "/kiosk/rk1",
        &s.items,
        &["dissatisfied", "dissatisfied"],
    )
    .await;
    assert_eq!(again.location.as_deref(), Some("/kiosk/rk1"));
    // The cookie held before the response acts for nobody.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for path in ["/kiosk/rk1/review", "/kiosk/rk1/home"] {
        let answer = replay
            .get(format!("{}{path}", s.app.base))
            .header("cookie", before.clone())
            .send()
            .await
            .expect("GET");
        assert_eq!(
            answer.status().as_u16(),
            303,
            "replayed cookie opened {path}"
        );
    }
    assert_eq!(stored(&s.app, s.review), (1, 2), "nothing more was written");

    // A fresh sign-in of 0101 learns it has responded; it cannot respond again.
    kiosk
        .post("/kiosk/rk1/login", &[("number", "0101"), ("pin", PIN)])
        .await;
    let home = kiosk.get("/kiosk/rk1/home").await;
    assert!(home.body.contains("已参与本期评议"), "{}", home.body);
    assert_eq!(kiosk.get("/kiosk/rk1/review").await.status, 409);
}

#[actix_web::test]
async fn results_stay_hidden_while_open_then_close_flag_mail_and_publish() {
    let s = open_review("rr1", 3).await;
    let code = "rr1";
    for (n, ratings) in [
        ("0101", ["dissatisfied", "satisfied"]),
        ("0102", ["dissatisfied", "basic"]),
        ("0103", ["satisfied", "unknown"]),
    ] {
        let b = phone(&s.app, code, n).await;
        let done = confirm(&b, &format!("/v/{code}"), &s.items, &ratings).await;
        assert_eq!(done.status, 303, "{}", done.body);
    }
    let public = format!("/v/{code}/reviews/{}", s.review);
    // Open: no results anywhere, staff pages included.
    let staff = s.clerk.get(&s.base).await;
    assert_eq!(staff.status, 200);
    assert!(
        !staff.body.contains("class=\"results\"") && !staff.body.contains("<svg"),
        "results shown while open: {}",
        staff.body
    );
    for path in [
        public.clone(),
        format!("{public}/counts.csv"),
        format!("{public}/counts.json"),
        format!("{public}/answers.csv"),
    ] {
        assert_eq!(s.app.browser().get(&path).await.status, 404, "{path}");
    }
    let closed = s
        .clerk
        .post(&format!("{}/state", s.base), &[("action", "close")])
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    // Closed: the staff page shows them; the public still waits for publication.
    let staff = s.clerk.get(&s.base).await;
    assert!(
        staff.body.contains("33.3%"),
        "item 1: 1 of 3: {}",
        staff.body
    );
    assert!(staff.body.contains("100.0%"), "item 2: 2 of 2 valid");
    assert!(staff.body.contains("<svg"));
    assert_eq!(s.app.browser().get(&public).await.status, 404);
    // 1/3 is not below 1/3: nothing flagged, no mail.
    let mails = crate::security::mail_to(&s.app, "rr1@example.org");
    assert!(mails.is_empty(), "{mails:?}");
    let published = s
        .clerk
        .post(&format!("{}/state", s.base), &[("action", "publish")])
        .await;
    assert_eq!(published.status, 303);
    let page = s.app.browser().get(&public).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("参与 3 户 / 名册 3 户"), "{}", page.body);
    assert!(
        !page.body.contains("0101"),
        "no household on the public page"
    );
    let kinds: Vec<String> = s.app.with_conn(|c| {
        use minyi::db::schema::notices as n;
        n::table.select(n::kind).load(c).expect("notices")
    });
    assert_eq!(kinds, vec!["review_result".to_string()]);
}

#[actix_web::test]
async fn a_clerk_types_a_paper_sheet_once_per_household() {
    let s = open_review("rp1", 2).await;
    let path = format!("{}/paper", s.base);
    assert_eq!(s.clerk.get(&path).await.status, 200);
    let owned = fields(&s.items, &["satisfied", "basic"]);
    let mut form: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    form.push(("number", "0102"));
    let first = s.clerk.post(&path, &form).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let next = s.clerk.get(&first.location.expect("location")).await;
    assert!(next.body.contains("上一份评议表已保存"), "{}", next.body);
    assert!(
        !next.body.contains("value=\"satisfied\" checked"),
        "an empty sheet for the next household"
    );
    let second = s.clerk.post(&path, &form).await;
    assert_eq!(second.status, 422);
    assert!(second.body.contains("已经评议过了"), "{}", second.body);
    form.retain(|(k, _)| *k != "number");
    form.push(("number", "9999"));
    let unknown = s.clerk.post(&path, &form).await;
    assert_eq!(unknown.status, 422);
    assert_eq!(stored(&s.app, s.review), (1, 2));
    // The household itself now finds it has responded.
    let b = phone(&s.app, "rp1", "0102").await;
    assert_eq!(b.get("/v/rp1/review").await.status, 409);
    let actions = s.app.audit_actions();
    assert!(
        actions.iter().any(
            |(a, subject, _)| a == "review.paper" && subject == &format!("review:{}", s.review)
        )
    );
}
