//! Integration tests: a council meeting from convening to signed, published minutes.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use crate::helpers::{Browser, STAFF_PASSWORD, TestApp, Village, spawn_app};

// Reaching the vote: invitation, agenda, the member's list of meetings.
#[path = "council_reach.rs"]
mod reach;
// A show of hands and a member's own vote.
#[path = "council_hands.rs"]
mod hands;
// The rule's base in words everywhere.
#[path = "council_bases.rs"]
mod bases;
// Refusal to sign the minutes.
#[path = "council_refusal.rs"]
mod refusal;
// Attendance over time.
#[path = "council_attendance.rs"]
mod attendance;
// The chair and the recorder named in the minutes.
#[path = "council_officers.rs"]
mod officers;

pub(crate) struct Council {
    pub(crate) app: TestApp,
    pub(crate) v: Village,
    pub(crate) clerk: Browser,
    /// (staff id, signed-in browser) for members m1..mN (five unless told).
    pub(crate) members: Vec<(i64, Browser)>,
    /// The clerk's page of the meeting.
    pub(crate) meeting: String,
}

pub(crate) async fn convene(code: &str) -> Council {
    convene_with(code, 5).await
}

/// A village council of `n` members, a clerk, and a meeting convened with a 2/3 quorum.
pub(crate) async fn convene_with(code: &str, n: usize) -> Council {
    let app = spawn_app().await;
    let v = app.village(code);
    app.staff(&format!("clerk.{code}"), Role::Clerk, Scope::Village(v.id));
    let clerk = app.browser();
    clerk.login_staff(&format!("clerk.{code}")).await;
    let mut members = Vec::new();
    for k in 1..=n {
        let name = format!("m{k}.{code}");
        let id = app.staff(&name, Role::CouncilMember, Scope::Village(v.id));
        let b = app.browser();
        b.login_staff(&name).await;
        members.push((id, b));
    }
    app.with_conn(|c| {
        use minyi::db::schema::staff::dsl as st;
        diesel::update(st::staff.filter(st::id.eq(members[0].0)))
            .set(st::email.eq("m1@example.test"))
            .execute(c)
            .expect("email")
    });
    let created = clerk
        .post(
            &format!("/staff/v/{code}/meetings"),
            &[
                ("title", "第一次议事会"),
                ("place", "村部会议室"),
                ("starts_at", "2026-12-01T09:00"),
                ("quorum", "2/3"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let meeting = created.location.expect("meeting page");
    Council {
        app,
        v,
        clerk,
        members,
        meeting,
    }
}

impl Council {
    /// The staff id of the first member (present in every test that writes minutes), to name
    /// as the meeting's chair.
    pub(crate) fn chair(&self) -> String {
        self.members[0].0.to_string()
    }

    pub(crate) async fn attend(&self, present: &[usize]) {
        let mut fields: Vec<(&str, String)> = Vec::new();
        for (i, (id, _)) in self.members.iter().enumerate() {
            fields.push(("member", id.to_string()));
            fields.push((
                "value",
                if present.contains(&i) {
                    "present"
                } else {
                    "absent"
                }
                .to_string(),
            ));
        }
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            self.clerk
                .post(&format!("{}/attendance", self.meeting), &refs)
                .await
                .status,
            303
        );
    }
    pub(crate) async fn motion(&self, text: &str) -> i64 {
        let page = self
            .clerk
            .post(
                &format!("{}/motions", self.meeting),
                &[
                    ("kind", "general"),
                    ("text", text),
                    ("base", "all_members"),
                    ("fraction", "1/2"),
                    ("strict", "on"),
                    ("min_yes", "1"),
                ],
            )
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        self.app.with_conn(|c| {
            use minyi::db::schema::motions::dsl as mo;
            mo::motions
                .filter(mo::text.eq(text))
                .select(mo::id)
                .first::<i64>(c)
                .expect("motion")
        })
    }
    pub(crate) fn member_page(&self) -> String {
        self.meeting.replace("/meetings/", "/council/")
    }
    pub(crate) async fn vote(&self, member: usize, motion: i64, choice: &str) -> u16 {
        self.members[member]
            .1
            .post(
                &format!("{}/motions/{motion}/vote", self.member_page()),
                &[("choice", choice)],
            )
            .await
            .status
    }
}

#[actix_web::test]
async fn a_meeting_votes_with_a_recusal_and_states_its_rule_and_numbers() {
    let c = convene("co1").await;
    let invited: i64 = c.app.with_conn(|conn| {
        use minyi::db::schema::outbox::dsl as ob;
        ob::outbox
            .filter(ob::recipient.eq("m1@example.test"))
            .count()
            .get_result(conn)
            .expect("outbox")
    });
    assert_eq!(invited, 1, "members are emailed through the outbox");
    assert_eq!(
        c.clerk
            .post(&format!("{}/state", c.meeting), &[("action", "open")])
            .await
            .status,
        303
    );
    c.attend(&[0, 1, 2]).await;
    let first = c.motion("修建村口路灯").await;
    let not_quorate = c
        .clerk
        .post(&format!("{}/motions/{first}/open", c.meeting), &[])
        .await;
    assert_eq!(not_quorate.status, 409, "3 of 5 is under two thirds");
    c.attend(&[0, 1, 2, 3]).await;
    assert!(c.clerk.get(&c.meeting).await.body.contains("已达法定人数"));
    assert_eq!(
        c.clerk
            .post(&format!("{}/motions/{first}/open", c.meeting), &[])
            .await
            .status,
        303
    );

    let recuse = c.members[0]
        .1
        .post(
            &format!("{}/motions/{first}/recuse", c.member_page()),
            &[("reason", "路灯装在我家门口")],
        )
        .await;
    assert_eq!(recuse.status, 303);
    assert_eq!(
        c.vote(0, first, "yes").await,
        409,
        "a recused member cannot vote"
    );
    assert_eq!(
        c.vote(4, first, "yes").await,
        409,
        "an absent member cannot vote"
    );
    assert_eq!(
        c.clerk
            .post(
                &format!("{}/motions/{first}/vote", c.member_page()),
                &[("choice", "yes")]
            )
            .await
            .status,
        403,
        "a clerk is not a member"
    );
    assert_eq!(c.vote(1, first, "yes").await, 303);
    assert_eq!(c.vote(2, first, "yes").await, 303);
    assert_eq!(c.vote(3, first, "no").await, 303);
    let public = c
        .app
        .browser()
        .get(
            &c.meeting
                .replace("/staff/v/", "/v/")
                .replace("/meetings/", "/council/"),
        )
        .await;
    assert!(
        !public.body.contains("修建村口路灯"),
        "nothing of an open motion is public"
    );
    assert_eq!(
        c.clerk
            .post(&format!("{}/motions/{first}/close", c.meeting), &[])
            .await
            .status,
        303
    );
    let page = c.clerk.get(&c.meeting).await;
    assert!(
        page.body.contains("未通过：赞成 2 票，未达到通过所需的票数：须超过应计成员 4 人（全体 5 人，回避 1 人）的半数（需 3 票）；反对 1，弃权 0，缺席 1"),
        "{}",
        page.body
    );
    let public = c
        .app
        .browser()
        .get(
            &c.meeting
                .replace("/staff/v/", "/v/")
                .replace("/meetings/", "/council/"),
        )
        .await;
    assert!(
        public.body.contains("修建村口路灯")
            && public.body.contains("m2.co1")
            && public.body.contains("回避")
    );
    let json: serde_json::Value = serde_json::from_str(
        &c.app
            .browser()
            .get(&format!(
                "{}/motions/{first}.json",
                c.meeting
                    .replace("/staff/v/", "/v/")
                    .replace("/meetings/", "/council/")
            ))
            .await
            .body,
    )
    .expect("json");
    assert_eq!(json["rule_base"], "all_members", "spelled as in the CSV");
    assert_eq!(json["roll_call"].as_array().expect("roll").len(), 5);
    assert_eq!(json["passed"], false);
    let sneaky = c.app.with_conn(|conn| {
        diesel::sql_query(format!(
            "UPDATE motions SET passed = TRUE WHERE id = {first}"
        ))
        .execute(conn)
    });
    assert!(sneaky.is_err(), "a closed tally never changes");
}

#[actix_web::test]
async fn one_vote_per_member_even_when_requests_race() {
    let c = convene("co2").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3, 4]).await;
    let motion = c.motion("修桥").await;
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    let member = &c.members[1].1;
    let token = member.csrf().await;
    let path = format!("{}/motions/{motion}/vote", c.member_page());
    let sends = (0..20).map(|i| {
        let (token, path) = (token.clone(), path.clone());
        async move {
            let choice = if i % 2 == 0 { "yes" } else { "no" };
            member
                .post_raw(&path, &[("csrf", token.as_str()), ("choice", choice)])
                .await
                .status
        }
    });
    let statuses = futures_util::future::join_all(sends).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    let stored: i64 = c.app.with_conn(|conn| {
        use minyi::db::schema::votes::dsl as vt;
        vt::votes
            .filter(vt::motion_id.eq(motion))
            .count()
            .get_result(conn)
            .expect("votes")
    });
    assert_eq!(stored, 1);
}

#[actix_web::test]
async fn minutes_are_signed_by_everyone_present_then_locked_and_published() {
    let c = convene("co3").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3]).await;
    let motion = c.motion("通过年度项目清单").await;
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    // A show of hands recorded by the clerk for three members, one member on their phone.
    let hands: Vec<(&str, String)> = vec![
        ("member", c.members[0].0.to_string()),
        ("value", "yes".into()),
        ("member", c.members[1].0.to_string()),
        ("value", "yes".into()),
        ("member", c.members[4].0.to_string()),
        ("value", "yes".into()),
    ];
    let refs: Vec<(&str, &str)> = hands.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let recorded = c
        .clerk
        .post(&format!("{}/motions/{motion}/hands", c.meeting), &refs)
        .await;
    assert_eq!(
        recorded.status, 200,
        "the clerk is told of the line not recorded"
    );
    assert!(
        recorded.body.contains("以下举手表决没有记录")
            && recorded.body.contains("m5.co3：没有登记到会"),
        "{}",
        recorded.body
    );
    assert_eq!(c.vote(2, motion, "yes").await, 303);
    c.clerk
        .post(&format!("{}/motions/{motion}/close", c.meeting), &[])
        .await;
    let page = c.clerk.get(&c.meeting).await;
    assert!(
        page.body.contains("通过：赞成 3 票"),
        "m5 was absent, so the clerk could not record a hand for them: {}",
        page.body
    );
    let early = c
        .clerk
        .post(
            &format!("{}/minutes", c.meeting),
            &[("notes", ""), ("chair", &c.chair())],
        )
        .await;
    assert_eq!(early.status, 409, "minutes come after the meeting closes");
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    assert_eq!(
        c.clerk
            .post(
                &format!("{}/minutes", c.meeting),
                &[("notes", "会议秩序良好。"), ("chair", &c.chair())]
            )
            .await
            .status,
        303
    );
    let sign = |i: usize, password: &'static str| {
        let b = &c.members[i].1;
        let (page, path) = (c.member_page(), format!("{}/sign", c.member_page()));
        async move {
            // The form carries the SHA-256 of the minutes it shows.
            let shown = b.get(&page).await.field("minutes_hash").unwrap_or_default();
            b.post(&path, &[("password", password), ("minutes_hash", &shown)])
                .await
                .status
        }
    };
    assert_eq!(sign(0, "wrong-Password-1").await, 422);
    assert_eq!(
        sign(4, STAFF_PASSWORD).await,
        409,
        "an absent member does not sign"
    );
    for i in 0..3 {
        assert_eq!(sign(i, STAFF_PASSWORD).await, 303);
    }
    let unlocked = c.app.with_conn(|conn| {
        minyi::council::store::minutes(conn, 1)
            .expect("minutes")
            .expect("written")
            .locked_at
    });
    assert!(unlocked.is_none(), "three of four signed: not yet locked");
    assert_eq!(sign(3, STAFF_PASSWORD).await, 303);
    let minutes = c.app.with_conn(|conn| {
        minyi::council::store::minutes(conn, 1)
            .expect("minutes")
            .expect("written")
    });
    let hash = minutes.content_hash.expect("locked with a hash");
    assert_eq!(hash, minyi::council::domain::minutes_hash(&minutes.body));
    assert!(minutes.body.contains("举手表决") && minutes.body.contains("会议秩序良好"));
    let notices = c.app.with_conn(|conn| {
        minyi::notices::store::board(
            conn,
            c.v.id,
            Some(minyi::notices::domain::Kind::CouncilResult),
            10,
        )
        .expect("board")
    });
    assert_eq!(notices.len(), 1, "published as a council-result notice");
    assert!(notices[0].body.contains(&hash));
    assert_eq!(
        c.clerk
            .post(
                &format!("{}/minutes", c.meeting),
                &[("notes", "改"), ("chair", &c.chair())]
            )
            .await
            .status,
        409,
        "signed minutes never change"
    );
    let sneaky = c
        .app
        .with_conn(|conn| diesel::sql_query("UPDATE minutes SET body = 'x'").execute(conn));
    assert!(sneaky.is_err());
    // A correction is a new record that links the signed minutes.
    let corrected = c
        .clerk
        .post(
            &format!("{}/correction", c.meeting),
            &[("text", "出席人数应为四人。")],
        )
        .await;
    assert_eq!(corrected.status, 303);
    let original = c
        .app
        .browser()
        .get(&format!("/v/co3/notices/{}", notices[0].id))
        .await;
    assert!(
        original.body.contains("本公示已有新版本"),
        "the published minutes link their correction"
    );
    let correction = c
        .app
        .browser()
        .get(&corrected.location.expect("correction notice"))
        .await;
    assert!(correction.body.contains("出席人数应为四人") && correction.body.contains(&hash));
}
