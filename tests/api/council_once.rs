//! Integration tests: council forms act once (meeting, motion, candidate, shortlist: a replay
//! or a double click lands on what the first created), approval motions that could not take
//! effect are refused when put (and two left open by old data still close without an error),
//! and a show of hands after a phone vote records the other lines and tells the clerk which
//! were not recorded, on both backends.

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
async fn approval_motions_that_could_not_take_effect_are_refused_when_put() {
    let app = spawn_app().await;
    let v = app.village("on2");
    let (clerk_id, clerk) = signed_in(&app, "clerk.on2", Role::Clerk, &v).await;
    let (round, ids) = closed_round(&app, &v, clerk_id);
    let sorting = format!("/staff/v/on2/rounds/{round}/candidates");
    for (title, id) in [
        ("村口照明", ids[0]),
        ("桥头照明", ids[1]),
        ("村口装灯", ids[2]),
    ] {
        let id = id.to_string();
        let made = clerk
            .post(
                &sorting,
                &[("title", title), ("category", "照明"), ("suggestion", &id)],
            )
            .await;
        assert_eq!(made.status, 303, "{}", made.body);
    }
    let candidates: Vec<i64> = app.with_conn(|c| {
        minyi::council::candidate_store::open_candidates(c, v.id)
            .expect("open")
            .iter()
            .map(|c| c.id)
            .collect()
    });
    let mut members = Vec::new();
    for n in 0..3 {
        members.push(signed_in(&app, &format!("m{n}.on2"), Role::CouncilMember, &v).await);
    }
    let meeting = clerk
        .post(
            "/staff/v/on2/meetings",
            &[
                ("title", "票决会"),
                ("place", "村部"),
                ("starts_at", "2026-12-01T09:00"),
            ],
        )
        .await
        .location
        .expect("meeting");
    clerk
        .post(&format!("{meeting}/state"), &[("action", "open")])
        .await;
    let mut attendance: Vec<(&str, String)> = Vec::new();
    for (id, _) in &members {
        attendance.push(("member", id.to_string()));
        attendance.push(("value", "present".into()));
    }
    let refs: Vec<(&str, &str)> = attendance.iter().map(|(k, v)| (*k, v.as_str())).collect();
    clerk.post(&format!("{meeting}/attendance"), &refs).await;
    let put = |candidate: i64| {
        let (clerk, path) = (&clerk, format!("{meeting}/motions"));
        async move {
            let id = candidate.to_string();
            let fields = [
                ("kind", "approve_candidate"),
                ("text", "批准"),
                ("candidate", id.as_str()),
            ];
            clerk.post(&path, &fields).await
        }
    };
    assert_eq!(put(candidates[0]).await.status, 303);
    let twice = put(candidates[0]).await;
    assert_eq!(
        twice.status, 409,
        "a second approval motion for one candidate"
    );
    assert!(twice.body.contains("不能重复提交"), "{}", twice.body);
    let merge = clerk
        .post(
            &format!("{sorting}/{}/merge", candidates[1]),
            &[("from", &candidates[0].to_string())],
        )
        .await;
    assert_eq!(
        merge.status, 409,
        "a candidate under an approval motion is not merged away"
    );
    let motion: i64 = app.with_conn(|c| {
        use minyi::db::schema::motions::dsl as mo;
        mo::motions.select(mo::id).first(c).expect("motion")
    });
    clerk
        .post(&format!("{meeting}/motions/{motion}/open"), &[])
        .await;
    let member_page = meeting.replace("/meetings/", "/council/");
    for (_, b) in &members[..2] {
        let voted = b
            .post(
                &format!("{member_page}/motions/{motion}/vote"),
                &[("choice", "yes")],
            )
            .await;
        assert_eq!(voted.status, 303);
    }
    let closed = clerk
        .post(&format!("{meeting}/motions/{motion}/close"), &[])
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    let decided = put(candidates[0]).await;
    assert_eq!(
        decided.status, 409,
        "an approved candidate is not put again"
    );
    assert!(decided.body.contains("已经决定"), "{}", decided.body);
    // A withdrawn approval motion frees its candidate for a new one.
    assert_eq!(put(candidates[1]).await.status, 303);
    let second: i64 = app.with_conn(|c| {
        use minyi::db::schema::motions::dsl as mo;
        mo::motions
            .select(mo::id)
            .order(mo::id.desc())
            .first(c)
            .expect("motion")
    });
    let withdrawn = clerk
        .post(
            &format!("{meeting}/motions/{second}/withdraw"),
            &[("reason", "材料不全，下次再议")],
        )
        .await;
    assert_eq!(withdrawn.status, 303);
    assert_eq!(put(candidates[1]).await.status, 303);
    let projects =
        app.with_conn(|c| minyi::council::candidate_store::projects(c, v.id).expect("projects"));
    assert_eq!(projects.len(), 1);
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

#[actix_web::test]
async fn two_passing_approval_motions_left_from_before_close_without_a_server_error() {
    // Data as the old code could leave it: two approval motions for one candidate, both open.
    let c = convene("on4").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3, 4]).await;
    let clerk_id = c.app.with_conn(|conn| {
        use minyi::db::schema::staff as st;
        st::table
            .filter(st::username.eq("clerk.on4"))
            .select(st::id)
            .first::<i64>(conn)
            .expect("clerk")
    });
    let (round, ids) = closed_round(&c.app, &c.v, clerk_id);
    let sorting = format!("/staff/v/on4/rounds/{round}/candidates");
    let first = ids[0].to_string();
    let made = c
        .clerk
        .post(
            &sorting,
            &[
                ("title", "村口照明"),
                ("category", "照明"),
                ("suggestion", &first),
            ],
        )
        .await;
    assert_eq!(made.status, 303);
    let motions: Vec<i64> = c.app.with_conn(|conn| {
        use minyi::council::{candidate_store, motion_store, snapshot, store};
        let candidate = candidate_store::open_candidates(conn, c.v.id).expect("open")[0].id;
        let members = store::members(conn, c.v.id, None).expect("members");
        let present = store::present(conn, 1).expect("present");
        (0..2)
            .map(|_| {
                let rule = minyi::council::tally::Rule::MAJORITY_OF_ALL;
                let kind = minyi::council::domain::MotionKind::ApproveCandidate;
                let id =
                    store::create_motion(conn, 1, kind, "批准村口照明", &rule, Some(candidate))
                        .expect("motion");
                assert!(motion_store::mark_open(conn, id, 5).expect("open"));
                snapshot::take_roll(conn, id, &members, &present, &Default::default())
                    .expect("roll");
                id
            })
            .collect()
    });
    for motion in &motions {
        for i in 0..4 {
            assert_eq!(c.vote(i, *motion, "yes").await, 303);
        }
    }
    for motion in &motions {
        let closed = c
            .clerk
            .post(&format!("{}/motions/{motion}/close", c.meeting), &[])
            .await;
        assert_eq!(closed.status, 303, "closing never fails: {}", closed.body);
    }
    let projects = c.app.with_conn(|conn| {
        minyi::council::candidate_store::projects(conn, c.v.id).expect("projects")
    });
    assert_eq!(projects.len(), 1, "one project for the candidate");
    assert!(
        c.app
            .audit_actions()
            .iter()
            .any(|(a, s, _)| a == "project.approve" && s.starts_with("candidate:")),
        "the audit says why the second made no project"
    );
    let closed = c
        .clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    assert_eq!(closed.status, 303, "the meeting is not stuck");
}
