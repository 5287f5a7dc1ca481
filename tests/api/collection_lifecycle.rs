//! Integration tests: a round's lifecycle keeps to its times and to one open round per village
//! (the application refuses, and the database's partial unique index holds it regardless).

use diesel::prelude::*;

use crate::collection::{ballots, confirm, household, open_round};
use crate::helpers::Browser;

/// Creates a draft round in village `code` with these times; returns its page.
async fn draft(clerk: &Browser, code: &str, opens: &str, closes: &str) -> String {
    let created = clerk
        .post(
            &format!("/staff/v/{code}/rounds/new"),
            &[
                ("title", "第二轮征集"),
                ("year", "2027"),
                ("opens_at", opens),
                ("closes_at", closes),
                ("min_suggestions", "1"),
                ("max_suggestions", "3"),
                ("categories", "照明\n其他"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    created.location.expect("round page")
}

fn state_of(app: &crate::helpers::TestApp, round: i64) -> String {
    use minyi::db::schema::collection_rounds::dsl as r;
    app.with_conn(|c| {
        r::collection_rounds
            .filter(r::id.eq(round))
            .select(r::state)
            .first(c)
            .expect("round")
    })
}

fn id_of(page: &str) -> i64 {
    page.rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("id")
}

#[actix_web::test]
async fn only_one_round_per_village_is_open_and_the_database_keeps_it() {
    let s = open_round("cl1", false).await;
    let second = draft(&s.clerk, "cl1", "2026-11-01T08:00", "2099-06-01T08:00").await;
    let refused = s
        .clerk
        .post(&format!("{second}/state"), &[("action", "open")])
        .await;
    assert_eq!(refused.status, 409);
    assert!(
        refused.body.contains("同一时间只能进行一轮"),
        "{}",
        refused.body
    );
    assert_eq!(state_of(&s.app, id_of(&second)), "draft");

    // Written around the application: the database refuses a second open round too.
    let forced = s.app.with_conn(|c| {
        use minyi::db::schema::collection_rounds::dsl as r;
        diesel::update(r::collection_rounds.filter(r::id.eq(id_of(&second))))
            .set(r::state.eq("open"))
            .execute(c)
    });
    assert!(
        forced.is_err_and(|e| minyi::db::is_unique_violation(&e)),
        "the one-open-round index holds"
    );

    // Once the first is closed, the second opens.
    s.clerk
        .post(
            &format!("/staff/v/cl1/rounds/{}/state", s.round),
            &[("action", "close")],
        )
        .await;
    let opened = s
        .clerk
        .post(&format!("{second}/state"), &[("action", "open")])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
}

#[actix_web::test]
async fn a_round_past_its_closing_time_is_not_opened() {
    let s = open_round("cl2", false).await;
    s.clerk
        .post(
            &format!("/staff/v/cl2/rounds/{}/state", s.round),
            &[("action", "close")],
        )
        .await;
    let stale = draft(&s.clerk, "cl2", "2020-01-01T08:00", "2020-02-01T08:00").await;
    let refused = s
        .clerk
        .post(&format!("{stale}/state"), &[("action", "open")])
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("截止时间已过"), "{}", refused.body);
    assert_eq!(state_of(&s.app, id_of(&stale)), "draft");
}

#[actix_web::test]
async fn no_ballot_is_taken_before_the_opening_time() {
    let s = open_round("cl3", false).await;
    s.clerk
        .post(
            &format!("/staff/v/cl3/rounds/{}/state", s.round),
            &[("action", "close")],
        )
        .await;
    let later = draft(&s.clerk, "cl3", "2099-01-01T08:00", "2099-06-01T08:00").await;
    let opened = s
        .clerk
        .post(&format!("{later}/state"), &[("action", "open")])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let phone = household(&s.app, "cl3", "0101", "104729").await;
    let form = phone.get("/v/cl3/ballot").await;
    assert_eq!(form.status, 409);
    assert!(form.body.contains("征集还没有开始"), "{}", form.body);
    let cast = confirm(&phone, "cl3", "路灯", "0").await;
    assert_eq!(cast.status, 409);
    assert!(
        ballots(&s.app, id_of(&later)).is_empty(),
        "nothing stored before opening"
    );
}
