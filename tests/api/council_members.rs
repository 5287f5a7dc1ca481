//! Integration tests: who sits on a council (a group's council has its own members, an ended
//! term ends a seat) and the village defaults new meetings and motions take.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use crate::council::convene;
use crate::helpers::spawn_app;

#[actix_web::test]
async fn a_group_council_meets_and_votes_with_its_own_members() {
    let app = spawn_app().await;
    let v = app.village("co4");
    app.staff("clerk.co4", Role::Clerk, Scope::Village(v.id));
    let clerk = app.browser();
    clerk.login_staff("clerk.co4").await;
    let mut group_members = Vec::new();
    for n in 0..2 {
        let name = format!("g{n}.co4");
        let id = app.staff(&name, Role::CouncilMember, Scope::Group(v.groups[0]));
        let b = app.browser();
        b.login_staff(&name).await;
        group_members.push((id, b));
    }
    app.staff("village.co4", Role::CouncilMember, Scope::Village(v.id));
    let village_member = app.browser();
    village_member.login_staff("village.co4").await;
    let other_group = clerk
        .post(
            "/staff/v/co4/meetings",
            &[
                ("title", "x"),
                ("place", "y"),
                ("starts_at", "2026-12-01T09:00"),
                ("council", "999999"),
            ],
        )
        .await;
    assert_eq!(
        other_group.status, 422,
        "only this village's groups have councils here"
    );
    let group = v.groups[0].to_string();
    let meeting = clerk
        .post(
            "/staff/v/co4/meetings",
            &[
                ("title", "一组议事会"),
                ("place", "一组活动室"),
                ("starts_at", "2026-12-01T09:00"),
                ("quorum", "2/3"),
                ("council", &group),
            ],
        )
        .await
        .location
        .expect("meeting");
    let page = clerk.get(&meeting).await;
    assert!(page.body.contains("g0.co4") && page.body.contains("g1.co4"));
    assert!(
        !page.body.contains("village.co4"),
        "the village council is not this council"
    );
    clerk
        .post(&format!("{meeting}/state"), &[("action", "open")])
        .await;
    let mut att: Vec<(&str, String)> = Vec::new();
    for (id, _) in &group_members {
        att.push(("member", id.to_string()));
        att.push(("value", "present".into()));
    }
    let refs: Vec<(&str, &str)> = att.iter().map(|(k, v)| (*k, v.as_str())).collect();
    clerk.post(&format!("{meeting}/attendance"), &refs).await;
    clerk
        .post(
            &format!("{meeting}/motions"),
            &[
                ("kind", "general"),
                ("text", "修一组水渠"),
                ("base", "all_members"),
                ("fraction", "1/2"),
                ("strict", "on"),
                ("min_yes", "1"),
            ],
        )
        .await;
    let motion: i64 = app.with_conn(|conn| {
        use minyi::db::schema::motions::dsl as mo;
        mo::motions.select(mo::id).first(conn).expect("motion")
    });
    assert_eq!(
        clerk
            .post(&format!("{meeting}/motions/{motion}/open"), &[])
            .await
            .status,
        303
    );
    let member_page = meeting.replace("/meetings/", "/council/");
    assert_eq!(
        village_member.get(&member_page).await.status,
        403,
        "a village council member is not on this group council"
    );
    for (_, b) in &group_members {
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
    assert!(
        clerk
            .get(&meeting)
            .await
            .body
            .contains("通过：赞成 2 票，超过应计成员 2 人（全体 2 人，回避 0 人）")
    );
    let village_meeting = clerk
        .post(
            "/staff/v/co4/meetings",
            &[
                ("title", "村议事会"),
                ("place", "村部"),
                ("starts_at", "2026-12-02T09:00"),
            ],
        )
        .await
        .location
        .expect("meeting");
    assert_eq!(
        group_members[0]
            .1
            .get(&village_meeting.replace("/meetings/", "/council/"))
            .await
            .status,
        403,
        "a group member is not on the village council"
    );
}

#[actix_web::test]
async fn a_member_whose_term_has_ended_is_no_longer_on_the_council() {
    let c = convene("co5").await;
    let lapsed = c
        .app
        .staff("lapsed.co5", Role::Supervisor, Scope::Village(c.v.id));
    c.app.with_conn(|conn| {
        let ended = minyi::db::now() - chrono::TimeDelta::days(1);
        minyi::accounts::store::assign_until(
            conn,
            lapsed,
            Role::CouncilMember,
            Scope::Village(c.v.id),
            Some(ended),
        )
        .expect("assign")
    });
    let members = c
        .app
        .with_conn(|conn| minyi::council::store::members(conn, c.v.id, None).expect("members"));
    assert_eq!(members.len(), 5, "the lapsed member is not counted");
    assert!(!members.iter().any(|(id, _)| *id == lapsed));
    let browser = c.app.browser();
    browser.login_staff("lapsed.co5").await;
    assert_eq!(browser.get(&c.member_page()).await.status, 403);

    // An administrator gives a term; a term that has already ended is refused.
    c.app
        .staff("admin.co5", Role::Admin, Scope::Township(c.v.township_id));
    let admin = c.app.browser();
    admin.login_staff("admin.co5").await;
    let scope = format!("v:{}", c.v.id);
    let past = admin
        .post(
            &format!("/staff/accounts/{lapsed}/roles"),
            &[
                ("role", "council_member"),
                ("scope", &scope),
                ("term", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(past.status, 422);
    let renewed = admin
        .post(
            &format!("/staff/accounts/{lapsed}/roles"),
            &[
                ("role", "council_member"),
                ("scope", &scope),
                ("term", "2099-12-31"),
            ],
        )
        .await;
    assert_eq!(renewed.status, 303);
    let page = admin.get(&format!("/staff/accounts/{lapsed}")).await;
    assert!(
        page.body.contains("任期至 2099年12月31日") && page.body.contains("已到期"),
        "both terms are shown"
    );
    assert_eq!(
        browser.get(&c.member_page()).await.status,
        200,
        "with a new term the member is back"
    );
}

#[actix_web::test]
async fn village_defaults_set_the_quorum_and_rule_of_new_meetings_and_motions() {
    let c = convene("co6").await;
    let bad = c
        .clerk
        .post(
            "/staff/v/co6/council-settings",
            &[
                ("quorum", "9/10"),
                ("base", "present"),
                ("fraction", "2/3"),
                ("strict", "off"),
                ("min_yes", "2"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    let saved = c
        .clerk
        .post(
            "/staff/v/co6/council-settings",
            &[
                ("quorum", "1/2"),
                ("base", "present"),
                ("fraction", "2/3"),
                ("strict", "off"),
                ("min_yes", "2"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let meeting = c
        .clerk
        .post(
            "/staff/v/co6/meetings",
            &[
                ("title", "新会"),
                ("place", "村部"),
                ("starts_at", "2026-12-05T09:00"),
                ("quorum", ""),
            ],
        )
        .await
        .location
        .expect("meeting");
    let (old, new) = c.app.with_conn(|conn| {
        let all = minyi::council::store::meetings(conn, c.v.id).expect("meetings");
        let quorum = |title: &str| {
            all.iter()
                .find(|m| m.title == title)
                .map(|m| (m.quorum_numerator, m.quorum_denominator))
                .expect("meeting")
        };
        (quorum("第一次议事会"), quorum("新会"))
    });
    assert_eq!(
        (old, new),
        ((2, 3), (1, 2)),
        "the earlier meeting keeps its quorum"
    );
    let page = c.clerk.get(&meeting).await;
    assert!(
        page.body.contains("<option value=\"present\" selected>"),
        "the default rule is preselected"
    );
    c.clerk
        .post(
            &format!("{meeting}/motions"),
            &[("kind", "general"), ("text", "默认规则的议题")],
        )
        .await;
    let rule = c.app.with_conn(|conn| {
        use minyi::db::schema::motions::dsl as mo;
        mo::motions
            .filter(mo::text.eq("默认规则的议题"))
            .select((
                mo::rule_base,
                mo::rule_numerator,
                mo::rule_denominator,
                mo::rule_strict,
                mo::rule_min_yes,
            ))
            .first::<(String, i32, i32, bool, i32)>(conn)
            .expect("motion")
    });
    assert_eq!(rule, ("present".to_string(), 2, 3, false, 2));
}
