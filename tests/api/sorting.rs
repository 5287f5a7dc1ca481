//! Integration tests: sorting a closed round into candidates, the shortlist, and approval.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::collection::ballot::Suggestion;
use minyi::collection::ballot_store::{Casting, write};
use minyi::collection::domain::{RoundState, ValidRound};

use crate::helpers::{Browser, TestApp, Village, spawn_app};

/// A closed round in which household A suggested two things and B one; returns the suggestion ids.
pub(crate) fn closed_round(app: &TestApp, v: &Village, staff: i64) -> (i64, Vec<i64>) {
    let a = app.household(v, "0101", "104729");
    let b = app.household(v, "0102", "104729");
    app.with_conn(|c| {
        minyi::db::in_transaction(c, |c| {
            let now = minyi::db::now();
            let spec = ValidRound {
                title: "征集".into(),
                year: 2027,
                opens_at: now,
                closes_at: now + chrono::TimeDelta::days(9),
                min_suggestions: 1,
                max_suggestions: 5,
                categories: vec!["照明".into(), "其他".into()],
                double_entry: false,
            };
            let id = minyi::collection::store::create(c, v.id, &spec, staff)?;
            let round = minyi::collection::store::get(c, v.id, id)?.expect("round");
            minyi::collection::store::open(c, &round, now)?;
            let s = |t: &str| Suggestion {
                category: "照明".into(),
                title: t.into(),
                details: String::new(),
                place: "村口".into(),
                cost_fen: None,
            };
            for (household, titles) in [(a, vec!["村口路灯", "桥头路灯"]), (b, vec!["村口装灯"])]
            {
                let casting = Casting {
                    round_id: id,
                    household_id: household,
                    group_id: v.groups[0],
                    channel: minyi::collection::ballot::BallotChannel::Phone,
                    paper_serial: None,
                    site_id: None,
                    entered_by: None,
                };
                write(
                    c,
                    &casting,
                    0,
                    &titles.iter().map(|t| s(t)).collect::<Vec<_>>(),
                )?;
            }
            minyi::collection::store::advance(c, id, RoundState::Open, RoundState::Closed, now)?;
            let ids: Vec<i64> = minyi::council::candidate_store::counted(c, id)?
                .into_iter()
                .map(|s| s.id)
                .collect();
            Ok::<_, minyi::db::DbError>((id, ids))
        })
        .expect("closed round")
    })
}

/// Publishes the round's shortlist as a notice whose period ended long ago, so approval motions
/// for its candidates may be put: what a clerk's shortlist looks like once its 公示期 is over.
/// (Published notices never change, so the only way to a cleared gate in a test is to publish
/// one in the past.)
pub(crate) fn cleared_shortlist(app: &TestApp, v: &Village, round: i64, staff: i64) {
    app.with_conn(|c| {
        let subject = minyi::council::sorting_commands::shortlist_subject(round);
        let draft = minyi::notices::store::Draft {
            village_id: v.id,
            kind: minyi::notices::domain::Kind::Shortlist,
            title: "候选项目公示",
            body: "候选项目清单",
            subject: Some(&subject),
            supersedes: None,
            created_by: staff,
        };
        let long_ago = minyi::db::now() - chrono::TimeDelta::days(30);
        minyi::notices::store::create_published(c, &draft, long_ago).expect("shortlist");
    });
}

pub(crate) async fn signed_in(
    app: &TestApp,
    name: &str,
    role: Role,
    v: &Village,
) -> (i64, Browser) {
    let id = app.staff(name, role, Scope::Village(v.id));
    let b = app.browser();
    b.login_staff(name).await;
    (id, b)
}

fn support_of(body: &str, title: &str) -> String {
    let start = body.find(title).expect("candidate on page");
    let rest = &body[start..];
    let marker = "支持 ";
    let s = rest.find(marker).expect("support") + marker.len();
    rest[s..].split(' ').next().unwrap_or_default().to_string()
}

#[actix_web::test]
async fn candidates_count_households_keep_their_sources_and_split_and_merge() {
    let app = spawn_app().await;
    let v = app.village("s1");
    let (clerk_id, clerk) = signed_in(&app, "clerk.s1", Role::Clerk, &v).await;
    let (round, ids) = closed_round(&app, &v, clerk_id);
    let base = format!("/staff/v/s1/rounds/{round}/candidates");
    let all: Vec<String> = ids.iter().map(i64::to_string).collect();
    let mut fields = vec![
        ("title", "村口照明"),
        ("category", "照明"),
        ("group", ""),
        ("cost", "5000"),
    ];
    fields.extend(all.iter().map(|id| ("suggestion", id.as_str())));
    assert_eq!(clerk.post(&base, &fields).await.status, 303);
    let page = clerk.get(&base).await;
    assert_eq!(
        support_of(&page.body, "村口照明"),
        "2",
        "three suggestions from two households"
    );
    let again = clerk
        .post(
            &base,
            &[
                ("title", "重复"),
                ("category", "照明"),
                ("suggestion", all[0].as_str()),
            ],
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("已经归入其他候选项目"));

    let candidate: i64 = app.with_conn(|c| {
        use minyi::db::schema::candidates::dsl as cd;
        cd::candidates
            .filter(cd::title.eq("村口照明"))
            .select(cd::id)
            .first(c)
            .expect("candidate")
    });
    let bridge = app
        .with_conn(|c| minyi::council::candidate_store::counted(c, round).expect("counted"))
        .into_iter()
        .find(|s| s.title == "桥头路灯")
        .expect("bridge")
        .id;
    let split = clerk
        .post(
            &format!("{base}/{candidate}/split"),
            &[("title", "桥头照明"), ("suggestion", &bridge.to_string())],
        )
        .await;
    assert_eq!(split.status, 303);
    let page = clerk.get(&base).await;
    assert_eq!(support_of(&page.body, "桥头照明"), "1");
    assert_eq!(support_of(&page.body, "村口照明"), "2");
    let other: i64 = app.with_conn(|c| {
        use minyi::db::schema::candidates::dsl as cd;
        cd::candidates
            .filter(cd::title.eq("桥头照明"))
            .select(cd::id)
            .first(c)
            .expect("split off")
    });
    assert_eq!(
        clerk
            .post(
                &format!("{base}/{candidate}/merge"),
                &[("from", &candidate.to_string())]
            )
            .await
            .status,
        409,
        "not into itself"
    );
    assert_eq!(
        clerk
            .post(
                &format!("{base}/{candidate}/merge"),
                &[("from", &other.to_string())]
            )
            .await
            .status,
        303
    );
    let page = clerk.get(&base).await;
    assert!(
        !page.body.contains("桥头照明"),
        "the merged candidate is folded in"
    );
    assert_eq!(support_of(&page.body, "村口照明"), "2");
    let temporary = clerk
        .post(&base, &[("title", "临时：修水塔"), ("category", "其他")])
        .await;
    assert_eq!(temporary.status, 303);
    assert!(clerk.get(&base).await.body.contains("临时新增"));
}

#[actix_web::test]
async fn council_members_sort_too_but_not_supervisors_and_only_closed_rounds() {
    let app = spawn_app().await;
    let v = app.village("s2");
    let (clerk_id, _) = signed_in(&app, "clerk.s2", Role::Clerk, &v).await;
    let (round, _) = closed_round(&app, &v, clerk_id);
    let (_, member) = signed_in(&app, "m.s2", Role::CouncilMember, &v).await;
    let (_, supervisor) = signed_in(&app, "sup.s2", Role::Supervisor, &v).await;
    let base = format!("/staff/v/s2/rounds/{round}/candidates");
    assert_eq!(member.get(&base).await.status, 200);
    assert_eq!(supervisor.get(&base).await.status, 403);
    assert_eq!(
        member
            .post(&base, &[("title", "x"), ("category", "其他")])
            .await
            .status,
        303
    );
    let open_round = app.with_conn(|c| {
        let now = minyi::db::now();
        let spec = ValidRound {
            title: "进行中".into(),
            year: 2027,
            opens_at: now,
            closes_at: now + chrono::TimeDelta::days(9),
            min_suggestions: 1,
            max_suggestions: 5,
            categories: vec!["其他".into()],
            double_entry: false,
        };
        let id = minyi::collection::store::create(c, v.id, &spec, clerk_id).expect("round");
        let round = minyi::collection::store::get(c, v.id, id)
            .expect("q")
            .expect("round");
        minyi::collection::store::open(c, &round, now).expect("open");
        id
    });
    assert_eq!(
        member
            .get(&format!("/staff/v/s2/rounds/{open_round}/candidates"))
            .await
            .status,
        409
    );
}

#[actix_web::test]
async fn an_approved_candidate_becomes_a_project_once_its_shortlist_has_cleared() {
    let app = spawn_app().await;
    let v = app.village("s3");
    let (clerk_id, clerk) = signed_in(&app, "clerk.s3", Role::Clerk, &v).await;
    let (round, ids) = closed_round(&app, &v, clerk_id);
    let base = format!("/staff/v/s3/rounds/{round}/candidates");
    let first = ids[0].to_string();
    clerk
        .post(
            &base,
            &[
                ("title", "村口照明"),
                ("category", "照明"),
                ("suggestion", first.as_str()),
            ],
        )
        .await;

    let mut members = Vec::new();
    for n in 0..3 {
        members.push(signed_in(&app, &format!("m{n}.s3"), Role::CouncilMember, &v).await);
    }
    let meeting = clerk
        .post(
            "/staff/v/s3/meetings",
            &[
                ("title", "票决会"),
                ("place", "村部"),
                ("starts_at", "2026-12-01T09:00"),
                ("quorum", "2/3"),
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
    let candidate: i64 = app.with_conn(|c| {
        minyi::council::candidate_store::open_candidates(c, v.id).expect("open")[0].id
    });
    let missing = clerk
        .post(
            &format!("{meeting}/motions"),
            &[("kind", "approve_candidate"), ("text", "通过村口照明")],
        )
        .await;
    assert_eq!(
        missing.status, 422,
        "an approve-candidate motion names its candidate"
    );
    let put = [
        ("kind", "approve_candidate"),
        ("text", "通过村口照明"),
        ("candidate", &candidate.to_string()),
    ];
    let unpublished = clerk.post(&format!("{meeting}/motions"), &put).await;
    assert_eq!(
        unpublished.status, 409,
        "no vote before the shortlist's notice"
    );
    assert!(
        unpublished.body.contains("候选清单还没有公示"),
        "{}",
        unpublished.body
    );
    crate::sorting::cleared_shortlist(&app, &v, round, clerk_id);
    let made = clerk
        .post(
            &format!("{meeting}/motions"),
            &[
                ("kind", "approve_candidate"),
                ("text", "通过村口照明"),
                ("candidate", &candidate.to_string()),
            ],
        )
        .await;
    assert_eq!(made.status, 303);
    let motion: i64 = app.with_conn(|c| {
        use minyi::db::schema::motions::dsl as mo;
        mo::motions.select(mo::id).first(c).expect("motion")
    });
    clerk
        .post(&format!("{meeting}/motions/{motion}/open"), &[])
        .await;
    let member_page = meeting.replace("/meetings/", "/council/");
    for (_, b) in &members[..2] {
        assert_eq!(
            b.post(
                &format!("{member_page}/motions/{motion}/vote"),
                &[("choice", "yes")]
            )
            .await
            .status,
            303
        );
    }
    clerk
        .post(&format!("{meeting}/motions/{motion}/close"), &[])
        .await;
    let projects =
        app.with_conn(|c| minyi::council::candidate_store::projects(c, v.id).expect("projects"));
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0].1, "村口照明");
    assert!(app.audit_actions().iter().any(|a| a.0 == "project.approve"));
}

#[actix_web::test]
async fn the_shortlist_is_published_and_holds_the_vote_through_its_notice_period() {
    let app = spawn_app().await;
    let v = app.village("s4");
    let (clerk_id, clerk) = signed_in(&app, "clerk.s4", Role::Clerk, &v).await;
    let (round, ids) = closed_round(&app, &v, clerk_id);
    let base = format!("/staff/v/s4/rounds/{round}/candidates");
    let first = ids[0].to_string();
    clerk
        .post(
            &base,
            &[
                ("title", "村口照明"),
                ("category", "照明"),
                ("suggestion", first.as_str()),
            ],
        )
        .await;
    let published = clerk.post(&format!("{base}/shortlist"), &[]).await;
    assert_eq!(published.status, 303);
    let notice_page = app
        .browser()
        .get(&published.location.expect("notice"))
        .await;
    assert!(notice_page.body.contains("村口照明") && notice_page.body.contains("支持户数 1"));
    let gate = app.with_conn(|c| {
        minyi::notices::store::gate(c, v.id, &format!("round:{round}"), minyi::db::now())
            .expect("gate")
    });
    assert!(
        matches!(gate, minyi::notices::domain::Gate::InPeriod { .. }),
        "the shortlist is a notice about the round"
    );
    let (_, member) = signed_in(&app, "m0.s4", Role::CouncilMember, &v).await;
    drop(member);
    let meeting = clerk
        .post(
            "/staff/v/s4/meetings",
            &[
                ("title", "票决会"),
                ("place", "村部"),
                ("starts_at", "2026-12-01T09:00"),
            ],
        )
        .await
        .location
        .expect("meeting");
    let candidate: i64 = app.with_conn(|c| {
        minyi::council::candidate_store::open_candidates(c, v.id).expect("open")[0].id
    });
    let put = clerk
        .post(
            &format!("{meeting}/motions"),
            &[
                ("kind", "approve_candidate"),
                ("text", "通过村口照明"),
                ("candidate", &candidate.to_string()),
            ],
        )
        .await;
    assert_eq!(put.status, 409, "{}", put.body);
    assert!(put.body.contains("候选清单仍在公示期内"), "{}", put.body);
    let motions = app.with_conn(|c| {
        use minyi::db::schema::motions::dsl as mo;
        mo::motions.count().get_result::<i64>(c).expect("count")
    });
    assert_eq!(motions, 0, "nothing was put");
}
