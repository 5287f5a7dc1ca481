//! Forms that act once, in collection and notices: a round, a site, a notice draft, publishing
//! a notice and starting its new version each happen once however often the form is sent
//! (replayed, double-clicked, sent again with the back button, or sent many times at once);
//! every repeat lands (303) on what the first submission created. Moves without a form token
//! (closing a round, publishing its results, answering an objection) happen once and every
//! repeat is refused with a sentence (409), never a 5xx.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use crate::helpers::{Browser, Page, TestApp, Village, spawn_app};

/// How many copies of a form are sent at the same moment.
const AT_ONCE: usize = 8;

async fn clerk_of(app: &TestApp, v: &Village) -> Browser {
    let name = format!("clerk.{}", v.code);
    app.staff(&name, Role::Clerk, Scope::Village(v.id));
    let browser = app.browser();
    browser.login_staff(&name).await;
    browser
}

/// The one-time token of the form at `page_path` (as the browser showed it).
async fn token_on(browser: &Browser, page_path: &str) -> String {
    let page = browser.get(page_path).await;
    assert_eq!(page.status, 200, "GET {page_path}: {}", page.body);
    page.field("once")
        .unwrap_or_else(|| panic!("no once token on {page_path}"))
}

/// Sends `fields` (with `once`) to `path` once, then again (a replay), then `AT_ONCE` times at
/// the same moment; every answer must be 303 to the same page. Returns that page.
async fn send_repeatedly(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> String {
    let first = browser.post(path, fields).await;
    assert_eq!(first.status, 303, "POST {path}: {}", first.body);
    let target = first.location.expect("a page to go to");
    let replay = browser.post(path, fields).await;
    assert_eq!(
        (replay.status, replay.location.as_deref()),
        (303, Some(target.as_str())),
        "a replay lands on what the first created"
    );
    let token = browser.csrf().await;
    let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    let pages: Vec<Page> =
        futures_util::future::join_all((0..AT_ONCE).map(|_| browser.post_raw(path, &all))).await;
    for page in &pages {
        assert_eq!(
            (page.status, page.location.as_deref()),
            (303, Some(target.as_str())),
            "sent at once: {}",
            page.body
        );
    }
    target
}

fn audited(app: &TestApp, action: &str) -> usize {
    app.audit_actions()
        .iter()
        .filter(|(a, _, _)| a == action)
        .count()
}

pub(crate) fn count_rows(app: &TestApp, table: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    app.with_conn(|c| {
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<N>(c)
            .expect("count")
            .n
    })
}

#[actix_web::test]
async fn a_round_and_a_site_are_created_once_however_often_the_form_is_sent() {
    let app = spawn_app().await;
    let v = app.village("fo1");
    let clerk = clerk_of(&app, &v).await;
    let once = token_on(&clerk, "/staff/v/fo1/rounds/new").await;
    let round_page = send_repeatedly(
        &clerk,
        "/staff/v/fo1/rounds/new",
        &[
            ("title", "2027年度征集"),
            ("year", "2027"),
            ("opens_at", "2026-11-01T08:00"),
            ("closes_at", "2099-12-31T18:00"),
            ("min_suggestions", "1"),
            ("max_suggestions", "3"),
            ("categories", "照明\n其他"),
            ("once", &once),
        ],
    )
    .await;
    assert_eq!(count_rows(&app, "collection_rounds"), 1);
    assert_eq!(audited(&app, "round.create"), 1);

    let sites = format!("{round_page}/sites");
    let once = token_on(&clerk, &sites).await;
    let back = send_repeatedly(&clerk, &sites, &[("name", "村委会"), ("once", &once)]).await;
    assert_eq!(back, sites);
    assert_eq!(count_rows(&app, "collection_sites"), 1);
    assert_eq!(audited(&app, "site.create"), 1);
    // A new form (a new token) with the same name is refused with a sentence.
    let once = token_on(&clerk, &sites).await;
    let same = clerk
        .post(&sites, &[("name", "村委会"), ("once", &once)])
        .await;
    assert_eq!(same.status, 409, "{}", same.body);
    assert!(same.body.contains("本轮已有同名收票点"));
}

#[actix_web::test]
async fn closing_and_publishing_a_round_twice_is_refused_with_a_sentence() {
    let app = spawn_app().await;
    let v = app.village("fo2");
    let clerk = clerk_of(&app, &v).await;
    let created = clerk
        .post(
            "/staff/v/fo2/rounds/new",
            &[
                ("title", "征集"),
                ("year", "2027"),
                ("opens_at", "2026-11-01T08:00"),
                ("closes_at", "2099-12-31T18:00"),
                ("min_suggestions", "1"),
                ("max_suggestions", "3"),
                ("categories", "照明"),
            ],
        )
        .await;
    let state = format!("{}/state", created.location.expect("round page"));
    for (action, audit, sentence) in [
        ("open", "round.open", "已经开始了"),
        ("close", "round.close", "已经截止了"),
        ("publish", "round.publish", "已经公布了"),
    ] {
        let token = clerk.csrf().await;
        let fields = [("csrf", token.as_str()), ("action", action)];
        let pages =
            futures_util::future::join_all((0..AT_ONCE).map(|_| clerk.post_raw(&state, &fields)))
                .await;
        let statuses: Vec<u16> = pages.iter().map(|p| p.status).collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == 303).count(),
            1,
            "{action}: {statuses:?}"
        );
        for page in pages.iter().filter(|p| p.status != 303) {
            assert_eq!(page.status, 409, "{action}");
            assert!(page.body.contains(sentence), "{action}: {}", page.body);
        }
        assert_eq!(audited(&app, audit), 1, "{action} once");
    }
}

/// A draft notice made through the form; returns its page.
async fn draft(clerk: &Browser, code: &str, title: &str) -> String {
    let path = format!("/staff/v/{code}/notices/new");
    let once = token_on(clerk, &path).await;
    let page = clerk
        .post(
            &path,
            &[
                ("kind", "plan"),
                ("title", title),
                ("body", "正文"),
                ("once", &once),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    page.location.expect("draft page")
}

#[actix_web::test]
async fn a_notice_is_drafted_published_and_superseded_once() {
    let app = spawn_app().await;
    let v = app.village("fo3");
    let clerk = clerk_of(&app, &v).await;
    let new = "/staff/v/fo3/notices/new";
    let once = token_on(&clerk, new).await;
    let page = send_repeatedly(
        &clerk,
        new,
        &[
            ("kind", "plan"),
            ("title", "村道硬化方案"),
            ("body", "正文"),
            ("once", &once),
        ],
    )
    .await;
    assert_eq!(count_rows(&app, "notices"), 1);
    assert_eq!(audited(&app, "notice.draft"), 1);

    let once = token_on(&clerk, &page).await;
    let publish = format!("{page}/publish");
    assert_eq!(
        send_repeatedly(&clerk, &publish, &[("once", &once)]).await,
        page
    );
    assert_eq!(audited(&app, "notice.publish"), 1);
    // Without a token (an old page) a second publish is refused with a sentence.
    let again = clerk.post(&publish, &[]).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("这份公示已经发布了"), "{}", again.body);

    let once = token_on(&clerk, &page).await;
    let supersede = format!("{page}/supersede");
    let next = send_repeatedly(&clerk, &supersede, &[("once", &once)]).await;
    assert_ne!(next, page);
    assert_eq!(count_rows(&app, "notices"), 2, "one new version");
    // A second clerk starting a new version of the same notice lands on the one that exists.
    let other = app.browser();
    app.staff("clerk2.fo3", Role::Clerk, Scope::Village(v.id));
    other.login_staff("clerk2.fo3").await;
    let once = token_on(&other, &page).await;
    let theirs = other.post(&supersede, &[("once", &once)]).await;
    assert_eq!(
        (theirs.status, theirs.location.as_deref()),
        (303, Some(next.as_str()))
    );
    assert_eq!(count_rows(&app, "notices"), 2);
    assert_eq!(
        audited(&app, "notice.draft"),
        2,
        "the draft and its new version"
    );
    // Several clerks' tokens at once (different forms): still one publish of the new version.
    let tokens: Vec<String> =
        futures_util::future::join_all((0..AT_ONCE).map(|_| token_on(&clerk, &next))).await;
    let csrf = clerk.csrf().await;
    let publish_next = format!("{next}/publish");
    let pages = futures_util::future::join_all(tokens.iter().map(|once| {
        let (clerk, csrf, path) = (&clerk, &csrf, &publish_next);
        async move {
            clerk
                .post_raw(path, &[("csrf", csrf.as_str()), ("once", once.as_str())])
                .await
        }
    }))
    .await;
    let statuses: Vec<u16> = pages.iter().map(|p| p.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(audited(&app, "notice.publish"), 2);
}

#[actix_web::test]
async fn an_objection_is_answered_once_even_when_answers_cross() {
    let app = spawn_app().await;
    let v = app.village("fo4");
    let clerk = clerk_of(&app, &v).await;
    app.household(&v, "0101", "104729");
    let page = draft(&clerk, "fo4", "村道方案").await;
    let once = token_on(&clerk, &page).await;
    assert_eq!(
        clerk
            .post(&format!("{page}/publish"), &[("once", &once)])
            .await
            .status,
        303
    );
    let recorded = clerk
        .post(
            &format!("{page}/objections"),
            &[
                ("number", "0101"),
                ("channel", "oral"),
                ("body", "路线不合理"),
            ],
        )
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    let objection: i64 = app.with_conn(|c| {
        use minyi::db::schema::objections::dsl as o;
        o::objections.select(o::id).first(c).expect("objection")
    });
    let answer = format!("{page}/objections/{objection}/answer");
    let csrf = clerk.csrf().await;
    let pages = futures_util::future::join_all((0..AT_ONCE).map(|i| {
        let upheld = if i % 2 == 0 { "on" } else { "" };
        let csrf = csrf.clone();
        let answer = answer.clone();
        let clerk = &clerk;
        async move {
            clerk
                .post_raw(
                    &answer,
                    &[
                        ("csrf", csrf.as_str()),
                        ("answer", "已调整路线"),
                        ("upheld", upheld),
                    ],
                )
                .await
        }
    }))
    .await;
    let statuses: Vec<u16> = pages.iter().map(|p| p.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    for page in pages.iter().filter(|p| p.status != 303) {
        assert_eq!(page.status, 409);
        assert!(page.body.contains("这条异议已经答复过了"), "{}", page.body);
    }
    assert_eq!(audited(&app, "objection.answer"), 1);
}
