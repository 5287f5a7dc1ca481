//! Integration tests: an approval motion that could not take effect (its candidate already
//! approved, under another approval motion, merged away) is refused when it is put, so closing
//! never fails on it; approval motions left open by old data still close without an error.

use diesel::prelude::*;
use minyi::accounts::domain::Role;

use crate::council::convene;
use crate::helpers::spawn_app;
use crate::sorting::{cleared_shortlist, closed_round, signed_in};

#[actix_web::test]
async fn approval_motions_that_could_not_take_effect_are_refused_when_put() {
    let app = spawn_app().await;
    let v = app.village("on2");
    let (clerk_id, clerk) = signed_in(&app, "clerk.on2", Role::Clerk, &v).await;
    let (round, ids) = closed_round(&app, &v, clerk_id);
    cleared_shortlist(&app, &v, round, clerk_id);
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
    cleared_shortlist(&c.app, &c.v, round, clerk_id);
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

/// A closed meeting's record is final: a draft left in it can neither be withdrawn nor recused
/// from afterwards (either would add a line to signed minutes and the public page).
#[actix_web::test]
async fn nothing_is_added_to_a_closed_meeting() {
    let c = crate::council::convene("cl7").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3]).await;
    let left = c.motion("会后补议的事项").await;
    let closed = c
        .clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    assert_eq!(closed.status, 303, "a meeting with a draft closes");
    let public = c.app.browser();
    let before = public.get(&format!("/v/{}/council", c.v.code)).await.body;
    let withdraw = c
        .clerk
        .post(
            &format!("{}/motions/{left}/withdraw", c.meeting),
            &[("reason", "会后撤回")],
        )
        .await;
    assert_eq!(withdraw.status, 409, "no withdrawal after the close");
    let recuse = c.members[0]
        .1
        .post(
            &format!("{}/motions/{left}/recuse", c.member_page()),
            &[("reason", "与我有关")],
        )
        .await;
    assert_eq!(recuse.status, 409, "no recusal after the close");
    let after = public.get(&format!("/v/{}/council", c.v.code)).await.body;
    assert_eq!(before, after, "the public record is unchanged");
    let page = c.clerk.get(&c.meeting).await;
    assert!(
        !page.body.contains("/withdraw\""),
        "no withdraw form on a closed meeting"
    );
}
