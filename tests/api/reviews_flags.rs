//! An item under 1/3 is flagged at the close: the clerks get a mail listing it (no answers),
//! the clerk's dashboard and the public result page show it until the committee records a
//! re-consultation (once), and the next review of the village brings the item back.

use diesel::prelude::*;

use crate::reviews::{confirm, fields, open_review, open_review_with, phone};

#[actix_web::test]
async fn an_item_under_a_third_is_flagged_until_reconsulted_and_comes_back() {
    let s = open_review("rf1", 4).await;
    let code = "rf1";
    for (n, first) in [
        ("0101", "dissatisfied"),
        ("0102", "dissatisfied"),
        ("0103", "satisfied"),
        ("0104", "dissatisfied"),
    ] {
        let b = phone(&s.app, code, n).await;
        let owned = fields(&s.items, &[first, "satisfied"]);
        let mut form: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let comment = format!("comment-{}", s.items[0]);
        form.push((&comment, "秘密意见"));
        form.push(("step", "confirm"));
        let done = b.post(&format!("/v/{code}/review/confirm"), &form).await;
        assert_eq!(done.status, 303, "{}", done.body);
    }
    s.clerk
        .post(&format!("{}/state", s.base), &[("action", "close")])
        .await;
    let mails = crate::security::mail_to(&s.app, "rf1@example.org");
    assert_eq!(mails.len(), 1, "one mail to the clerk");
    assert!(
        mails[0].1.contains("村务公开工作") && mails[0].1.contains("25.0%"),
        "{}",
        mails[0].1
    );
    assert!(
        !mails[0].1.contains("秘密意见") && !mails[0].1.contains("dissatisfied"),
        "no answers in mail"
    );
    let dash = s.clerk.get("/staff").await;
    assert!(
        dash.body.contains("有 1 个事项待进一步征求意见"),
        "{}",
        dash.body
    );
    s.clerk
        .post(&format!("{}/state", s.base), &[("action", "publish")])
        .await;
    let public = s
        .app
        .browser()
        .get(&format!("/v/{code}/reviews/{}", s.review))
        .await;
    assert!(public.body.contains("待进一步征求意见"), "{}", public.body);
    let staff = s.clerk.get(&s.base).await;
    assert!(
        staff.body.contains("秘密意见"),
        "the committee reads the comments"
    );
    assert!(!public.body.contains("秘密意见"), "the public does not");
    let answers = s
        .app
        .browser()
        .get(&format!("/v/{code}/reviews/{}/answers.csv", s.review))
        .await;
    assert!(!answers.body.contains("秘密意见"), "nor the download");

    // A re-consultation with a missing field comes back with the message, 422.
    let path = format!("/staff/v/{code}/reviews/items/{}/reconsult", s.items[0]);
    let bad = s
        .clerk
        .post(&path, &[("held_on", "2026-08-01"), ("method", "入户走访")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("入户走访"), "fields kept");
    let ok = s
        .clerk
        .post(
            &path,
            &[
                ("held_on", "2026-08-01"),
                ("method", "入户走访"),
                ("heard", "公开栏不及时"),
                ("changes", "每月 5 日前更新公开栏"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let twice = s
        .clerk
        .post(
            &path,
            &[
                ("held_on", "2026-08-02"),
                ("method", "x"),
                ("heard", "x"),
                ("changes", "x"),
            ],
        )
        .await;
    assert_eq!(twice.status, 409);
    let dash = s.clerk.get("/staff").await;
    assert!(
        !dash.body.contains("待进一步征求意见"),
        "the flag is answered"
    );
    let public = s
        .app
        .browser()
        .get(&format!("/v/{code}/reviews/{}", s.review))
        .await;
    assert!(public.body.contains("每月 5 日前更新公开栏"));
    // An item that was never flagged has no re-consultation form.
    let other = format!("/staff/v/{code}/reviews/items/{}/reconsult", s.items[1]);
    assert_eq!(s.clerk.get(&other).await.status, 404);

    // The next review brings the flagged item back, marked.
    let form = s.clerk.get(&format!("/staff/v/{code}/reviews/new")).await;
    let once = form.field("once").expect("once");
    let next = s
        .clerk
        .post(
            &format!("/staff/v/{code}/reviews/new"),
            &[
                ("year", "2026"),
                ("half", "second"),
                ("opens_at", "2026-07-01T08:00"),
                ("closes_at", "2099-12-31T18:00"),
                ("free_items", ""),
                ("once", &once),
            ],
        )
        .await;
    assert_eq!(next.status, 303, "{}", next.body);
    let page = s.clerk.get(&next.location.expect("location")).await;
    assert!(
        page.body.contains("村务公开工作") && page.body.contains("上次需进一步征求意见"),
        "{}",
        page.body
    );
}

/// A project row as the council's approval writes it, its candidate and motion left out: the
/// foreign keys are switched off for this one insert (the projects part builds the real ones).
fn project(app: &crate::helpers::TestApp, village: i64, title: &str) -> i64 {
    use minyi::db::schema::projects as pj;
    app.with_conn(|c| {
        let sqlite = matches!(c, minyi::db::DbConn::Sqlite(_));
        let (off, on) = if sqlite {
            ("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = ON")
        } else {
            (
                "SET session_replication_role = replica",
                "SET session_replication_role = origin",
            )
        };
        diesel::sql_query(off).execute(c).expect("fk off");
        let now = minyi::db::now();
        let id = diesel::insert_into(pj::table)
            .values((
                pj::village_id.eq(village),
                pj::candidate_id.eq(999_999),
                pj::title.eq(title),
                pj::status.eq("in_progress"),
                pj::approved_by_motion.eq(999_999),
                pj::created_at.eq(now),
                pj::category.eq("道路交通"),
                pj::status_changed_at.eq(now),
            ))
            .returning(pj::id)
            .get_result::<i64>(c)
            .expect("project");
        diesel::sql_query(on).execute(c).expect("fk on");
        id
    })
}

#[actix_web::test]
async fn the_periods_project_is_reviewed_and_its_flag_reaches_the_project_page() {
    let mut project_id = 0;
    let s = open_review_with("rj1", 3, "second", |app, v| {
        project_id = project(app, v.id, "村口道路硬化");
    })
    .await;
    let page = s.clerk.get(&s.base).await;
    assert!(
        page.body.contains("村口道路硬化"),
        "the period's project is an item: {}",
        page.body
    );
    assert_eq!(s.items.len(), 3, "the project and the two free items");
    let ratings = ["dissatisfied", "satisfied", "satisfied"];
    for n in ["0101", "0102", "0103"] {
        let b = phone(&s.app, "rj1", n).await;
        assert_eq!(confirm(&b, "/v/rj1", &s.items, &ratings).await.status, 303);
    }
    let (flags, ratings_before) = s.app.with_conn(|c| {
        (
            minyi::reviews::project::project_flags(c, &[project_id]).expect("flags"),
            minyi::reviews::project::project_ratings(c, &[project_id]).expect("ratings"),
        )
    });
    assert!(
        flags.is_empty() && ratings_before.is_empty(),
        "nothing while open"
    );
    for action in ["close", "publish"] {
        let moved = s
            .clerk
            .post(&format!("{}/state", s.base), &[("action", action)])
            .await;
        assert_eq!(moved.status, 303, "{action}");
    }
    let (flags, ratings) = s.app.with_conn(|c| {
        (
            minyi::reviews::project::project_flags(c, &[project_id]).expect("flags"),
            minyi::reviews::project::project_ratings(c, &[project_id]).expect("ratings"),
        )
    });
    assert_eq!(flags.len(), 1);
    assert!(flags[0].open && flags[0].rate_text == "0.0%" && flags[0].valid == 3);
    assert_eq!(ratings.len(), 1);
    assert!(ratings[0].flagged && ratings[0].counts.dissatisfied == 3);
    // The project's public page carries the flag and the ratings.
    let page = s
        .app
        .browser()
        .get(&format!("/v/rj1/projects/{project_id}"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("review-flag") && page.body.contains("id=\"ratings\""),
        "{}",
        page.body
    );
}
