//! Integration tests: council forms act once (meeting, motion, candidate, shortlist: a replay
//! or a double click lands on what the first created), and a show of hands after a phone vote
//! records the other lines and tells the clerk which were not recorded, on both backends.

use diesel::prelude::*;
use futures_util::future::join;
use minyi::accounts::domain::Role;

use crate::council::convene;
use crate::helpers::{Browser, Page, TestApp, spawn_app};
use crate::sorting::{closed_round, signed_in};

/// The `n`-th one-time token on a page (the sorting page has two forms that carry one).
fn nth_once(page: &Page, n: usize) -> String {
    let marker = "name=\"once\" value=\"";
    let start = page
        .body
        .match_indices(marker)
        .nth(n)
        .expect("a once field")
        .0
        + marker.len();
    page.body[start..start + 32].to_string()
}

fn count(app: &TestApp, table: &str) -> i64 {
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

/// Posts `fields` with `token` twice in a row, then twice at once with `fresh`: each pair
/// creates one row of `table` and both answers are 303s to the same page.
async fn acts_once(
    app: &TestApp,
    b: &Browser,
    path: &str,
    table: &str,
    fields: &[(&'static str, &str)],
    tokens: (String, String),
) {
    let rows = count(app, table);
    let with = |token: &str| {
        let mut all: Vec<(&'static str, String)> =
            fields.iter().map(|(k, v)| (*k, v.to_string())).collect();
        all.push(("once", token.to_string()));
        all
    };
    let send = |fields: Vec<(&'static str, String)>| async move {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        b.post(path, &refs).await
    };
    let first = send(with(&tokens.0)).await;
    let replay = send(with(&tokens.0)).await;
    assert_eq!(
        (first.status, replay.status),
        (303, 303),
        "{path}: {}",
        first.body
    );
    assert_eq!(
        first.location, replay.location,
        "{path}: the replay lands on the first"
    );
    assert_eq!(
        count(app, table),
        rows + 1,
        "{path}: one created by two submissions"
    );
    let (a, b2) = join(send(with(&tokens.1)), send(with(&tokens.1))).await;
    assert_eq!(
        (a.status, b2.status),
        (303, 303),
        "{path}: {} {}",
        a.body,
        b2.body
    );
    assert_eq!(
        a.location, b2.location,
        "{path}: both land on the one created"
    );
    assert_eq!(
        count(app, table),
        rows + 2,
        "{path}: one created by a double click"
    );
}

#[actix_web::test]
async fn council_forms_act_once() {
    let app = spawn_app().await;
    let v = app.village("on1");
    let (clerk_id, clerk) = signed_in(&app, "clerk.on1", Role::Clerk, &v).await;
    let list = "/staff/v/on1/meetings";
    let meeting_form = [
        ("title", "议事会"),
        ("place", "村部"),
        ("starts_at", "2026-12-01T09:00"),
        ("quorum", "2/3"),
    ];
    let tokens = (
        clerk.get(list).await.field("once").expect("token"),
        clerk.get(list).await.field("once").expect("token"),
    );
    acts_once(&app, &clerk, list, "meetings", &meeting_form, tokens).await;

    let meeting = "/staff/v/on1/meetings/1";
    let motions = format!("{meeting}/motions");
    let tokens = (
        clerk.get(meeting).await.field("once").expect("token"),
        clerk.get(meeting).await.field("once").expect("token"),
    );
    let motion_form = [("kind", "general"), ("text", "修路")];
    acts_once(&app, &clerk, &motions, "motions", &motion_form, tokens).await;

    let (round, ids) = closed_round(&app, &v, clerk_id);
    let sorting = format!("/staff/v/on1/rounds/{round}/candidates");
    let tokens = (
        nth_once(&clerk.get(&sorting).await, 1),
        nth_once(&clerk.get(&sorting).await, 1),
    );
    let temporary = [("title", "临时新增的路灯"), ("category", "照明")];
    acts_once(&app, &clerk, &sorting, "candidates", &temporary, tokens).await;
    let first = ids[0].to_string();
    let from_suggestion = [
        ("title", "村口照明"),
        ("category", "照明"),
        ("suggestion", first.as_str()),
    ];
    let token = nth_once(&clerk.get(&sorting).await, 1);
    let made = clerk
        .post(
            &sorting,
            &[from_suggestion.as_slice(), &[("once", token.as_str())]].concat(),
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);

    let shortlist = format!("{sorting}/shortlist");
    let tokens = (
        nth_once(&clerk.get(&sorting).await, 0),
        nth_once(&clerk.get(&sorting).await, 0),
    );
    acts_once(&app, &clerk, &shortlist, "notices", &[], tokens).await;
}

#[actix_web::test]
async fn a_show_of_hands_after_a_phone_vote_tells_the_clerk_which_lines_were_not_recorded() {
    let c = convene("on3").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3]).await;
    let motion = c.motion("修渠").await;
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    assert_eq!(c.vote(0, motion, "yes").await, 303);
    let (m1, m2, m3) = (
        c.members[0].0.to_string(),
        c.members[1].0.to_string(),
        c.members[2].0.to_string(),
    );
    let hands = c
        .clerk
        .post(
            &format!("{}/motions/{motion}/hands", c.meeting),
            &[
                ("member", m1.as_str()),
                ("value", "no"),
                ("member", m2.as_str()),
                ("value", "no"),
                ("member", "999999"),
                ("value", "yes"),
                ("member", m3.as_str()),
                ("value", "maybe"),
            ],
        )
        .await;
    assert_eq!(hands.status, 200, "{}", hands.body);
    for told in [
        "m1.on3：已经投过票",
        "999999：不在这个议题的成员名单上",
        "m3.on3：表决意见无效",
    ] {
        assert!(hands.body.contains(told), "{told}: {}", hands.body);
    }
    assert_eq!(c.stored_votes(motion), 2, "m1's phone vote and m2's hand");
    let all_good = c
        .clerk
        .post(
            &format!("{}/motions/{motion}/hands", c.meeting),
            &[("member", m3.as_str()), ("value", "yes")],
        )
        .await;
    assert_eq!(all_good.status, 303);
}

/// A correction of signed minutes publishes a permanent notice: a replay or a double click of
/// its form publishes one, and both answers land on it.
#[actix_web::test]
async fn a_minutes_correction_is_published_once() {
    let c = convene("on3").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3]).await;
    let motion = c.motion("修建村口路灯").await;
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    for i in 0..4 {
        assert_eq!(c.vote(i, motion, "yes").await, 303);
    }
    c.clerk
        .post(&format!("{}/motions/{motion}/close", c.meeting), &[])
        .await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    let written = c
        .clerk
        .post(&format!("{}/minutes", c.meeting), &[("chair", &c.chair())])
        .await;
    assert_eq!(written.status, 303, "{}", written.body);
    crate::council_record::sign_all(&c, &[0, 1, 2, 3]).await;
    let page = c.clerk.get(&c.meeting).await;
    assert!(page.body.contains("/correction\""), "the correction form");
    let tokens = (
        page.field("once").expect("token"),
        c.clerk.get(&c.meeting).await.field("once").expect("token"),
    );
    let correction = [("text", "第一项议题的表决时间应为上午十时")];
    acts_once(
        &c.app,
        &c.clerk,
        &format!("{}/correction", c.meeting),
        "notices",
        &correction,
        tokens,
    )
    .await;
}
