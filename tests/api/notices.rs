//! Integration tests: public notices, objections, the print view and feed, the gate, reminders.

use chrono::TimeDelta;
use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::notices::domain::Kind;
use minyi::notices::store::{self, Draft};

use crate::helpers::{Browser, TestApp, Village, spawn_app};

pub(crate) async fn clerk(app: &TestApp, v: &Village) -> Browser {
    let name = format!("clerk.{}", v.code);
    app.staff(&name, Role::Clerk, Scope::Village(v.id));
    let b = app.browser();
    b.login_staff(&name).await;
    b
}

/// A notice published `days_ago` days ago (0: now), about `subject`.
pub(crate) fn published(
    app: &TestApp,
    v: &Village,
    title: &str,
    subject: Option<&str>,
    days_ago: i64,
) -> i64 {
    let staff = app.with_conn(|c| {
        use minyi::db::schema::staff::dsl as st;
        st::staff
            .select(st::id)
            .first::<i64>(c)
            .optional()
            .expect("staff")
    });
    let staff = staff.unwrap_or_else(|| {
        app.staff(
            &format!("author.{}", v.code),
            Role::Clerk,
            Scope::Village(v.id),
        )
    });
    app.with_conn(|c| {
        let draft = Draft {
            village_id: v.id,
            kind: Kind::Plan,
            title,
            body: "正文",
            subject,
            supersedes: None,
            created_by: staff,
        };
        let at = minyi::db::now() - TimeDelta::days(days_ago);
        store::create_published(c, &draft, at)
            .expect("published")
            .id
    })
}

#[actix_web::test]
async fn a_clerk_drafts_edits_and_publishes_and_the_notice_is_then_frozen() {
    let app = spawn_app().await;
    let v = app.village("n1");
    let clerk = clerk(&app, &v).await;
    let bad = clerk
        .post(
            "/staff/v/n1/notices/new",
            &[
                ("kind", "secret"),
                ("title", ""),
                ("body", ""),
                ("subject", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    let created = clerk
        .post(
            "/staff/v/n1/notices/new",
            &[
                ("kind", "plan"),
                ("title", "村道硬化方案"),
                ("body", "草稿"),
                ("subject", "project:1"),
            ],
        )
        .await;
    assert_eq!(created.status, 303);
    let page = created.location.expect("location");
    let id: i64 = page
        .rsplit('/')
        .next()
        .and_then(|x| x.parse().ok())
        .expect("id");
    assert_eq!(
        app.browser()
            .get(&format!("/v/n1/notices/{id}"))
            .await
            .status,
        404,
        "drafts are not public"
    );
    assert_eq!(
        clerk
            .post(
                &page,
                &[
                    ("kind", "plan"),
                    ("title", "村道硬化实施方案"),
                    ("body", "全长 800 米。"),
                    ("subject", "project:1")
                ]
            )
            .await
            .status,
        303
    );
    assert_eq!(
        clerk.post(&format!("{page}/publish"), &[]).await.status,
        303
    );
    let notice = app.with_conn(|c| store::get(c, v.id, id).expect("q").expect("notice"));
    let text = minyi::notices::domain::canonical_text(
        "n1村",
        Kind::Plan,
        "村道硬化实施方案",
        "全长 800 米。",
        notice.published_at.expect("at"),
        notice.period_ends_at.expect("end"),
        None,
    );
    let hash = minyi::notices::domain::content_hash(&text);
    assert_eq!(
        notice.content_hash.as_deref(),
        Some(hash.as_str()),
        "anyone can recompute the hash"
    );
    let public = app.browser().get(&format!("/v/n1/notices/{id}")).await;
    assert!(public.body.contains(&hash) && public.body.contains("全长 800 米"));
    let edit = clerk
        .post(
            &page,
            &[
                ("kind", "plan"),
                ("title", "改"),
                ("body", "改"),
                ("subject", ""),
            ],
        )
        .await;
    assert_eq!(edit.status, 409);
    assert_eq!(
        clerk.post(&format!("{page}/publish"), &[]).await.status,
        409,
        "published once"
    );
    let sneaky = app.with_conn(|c| {
        diesel::sql_query(format!("UPDATE notices SET title = 'x' WHERE id = {id}")).execute(c)
    });
    assert!(
        sneaky.is_err(),
        "the database refuses to change a published notice"
    );
    let delete = app.with_conn(|c| {
        diesel::sql_query(format!("DELETE FROM notices WHERE id = {id}")).execute(c)
    });
    assert!(delete.is_err(), "or to delete it");
}

#[actix_web::test]
async fn the_board_the_print_view_and_the_feed_show_published_notices() {
    let app = spawn_app().await;
    let v = app.village("n2");
    let id = published(&app, &v, "饮水工程公示", None, 0);
    let old = published(&app, &v, "去年的公示", None, 30);
    let anon = app.browser();
    let board = anon.get("/v/n2/notices").await;
    assert!(board.body.contains("饮水工程公示") && board.body.contains("去年的公示"));
    assert!(
        board.body.find("饮水工程公示") < board.body.find("去年的公示"),
        "newest first"
    );
    assert_eq!(
        board.body.matches("open-tag").count(),
        1,
        "only the open period is marked"
    );
    let filtered = anon.get("/v/n2/notices?kind=general").await;
    assert!(!filtered.body.contains("饮水工程公示"));
    let print = anon.get(&format!("/v/n2/notices/{id}/print")).await;
    assert_eq!(print.status, 200);
    assert!(print.body.contains("<svg"), "a QR code");
    assert!(print.body.contains(&format!("/v/n2/notices/{id}")));
    let hash = app.with_conn(|c| {
        store::get(c, v.id, id)
            .expect("q")
            .expect("n")
            .content_hash
            .expect("hash")
    });
    assert!(print.body.contains(&hash));
    let feed = anon.get("/v/n2/notices.atom").await;
    assert!(
        feed.headers
            .get("content-type")
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default()
            .starts_with("application/atom+xml")
    );
    assert!(
        feed.body
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    );
    assert_eq!(feed.body.matches("<entry>").count(), 2);
    assert!(feed.body.contains(&format!("/v/n2/notices/{old}")));
}

#[actix_web::test]
async fn periods_are_set_per_kind_and_a_new_version_is_never_shorter() {
    let app = spawn_app().await;
    let v = app.village("n9");
    let clerk = clerk(&app, &v).await;
    assert_eq!(
        clerk
            .post(
                "/staff/v/n9/notices/periods",
                &[("kind", "plan"), ("days", "0")]
            )
            .await
            .status,
        422
    );
    assert_eq!(
        clerk
            .post(
                "/staff/v/n9/notices/periods",
                &[("kind", "plan"), ("days", "15")]
            )
            .await
            .status,
        303
    );
    assert!(
        clerk
            .get("/staff/v/n9/notices/periods")
            .await
            .body
            .contains("value=\"15\"")
    );
    let created = clerk
        .post(
            "/staff/v/n9/notices/new",
            &[("kind", "plan"), ("title", "方案"), ("body", "正文")],
        )
        .await;
    let page = created.location.expect("draft");
    clerk.post(&format!("{page}/publish"), &[]).await;
    let id: i64 = page
        .rsplit('/')
        .next()
        .and_then(|x| x.parse().ok())
        .expect("id");
    let notice = app.with_conn(|c| store::get(c, v.id, id).expect("q").expect("n"));
    assert_eq!(notice.period_days, 15);
    let general = clerk
        .post(
            "/staff/v/n9/notices/new",
            &[("kind", "general"), ("title", "通知"), ("body", "正文")],
        )
        .await
        .location
        .expect("draft");
    let general_id: i64 = general
        .rsplit('/')
        .next()
        .and_then(|x| x.parse().ok())
        .expect("id");
    assert_eq!(
        app.with_conn(|c| store::get(c, v.id, general_id)
            .expect("q")
            .expect("n")
            .period_days),
        7,
        "other kinds keep the default"
    );
    clerk
        .post(
            "/staff/v/n9/notices/periods",
            &[("kind", "plan"), ("days", "5")],
        )
        .await;
    let next = clerk
        .post(&format!("{page}/supersede"), &[])
        .await
        .location
        .expect("new version");
    let next_id: i64 = next
        .rsplit('/')
        .next()
        .and_then(|x| x.parse().ok())
        .expect("id");
    assert_eq!(
        app.with_conn(|c| store::get(c, v.id, next_id)
            .expect("q")
            .expect("n")
            .period_days),
        15,
        "never shorter than the version it replaces"
    );
}
