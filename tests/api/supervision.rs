//! Integration tests: the supervisory board's read-only page (`/staff/v/{village}/supervision`).

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::db::{DbConn, DbError};

use crate::helpers::{TestApp, Village, spawn_app};

fn valid_round(title: &str) -> minyi::collection::domain::ValidRound {
    let now = minyi::db::now();
    minyi::collection::domain::ValidRound {
        title: title.to_string(),
        year: 2027,
        opens_at: now,
        closes_at: now + chrono::TimeDelta::days(7),
        min_suggestions: 1,
        max_suggestions: 3,
        categories: minyi::collection::domain::DEFAULT_CATEGORIES
            .iter()
            .map(|c| c.to_string())
            .collect(),
        double_entry: false,
    }
}

/// An open round with one kiosk ballot, a paper site whose signed certificate does not add up
/// (5 returned, 1 spoiled, none entered), and a published notice with an objection whose
/// answer is a day overdue.
fn village_with_records(app: &TestApp, v: &Village, clerk: i64) {
    use minyi::collection::ballot_store::{self as ballots, Casting, Written};
    use minyi::collection::paper_store::{self, Certificate};
    use minyi::collection::store as rounds;
    use minyi::notices::store::{self as notices, Draft, Filing};

    let household = app.household(v, "0001", "123456");
    app.with_conn(|c: &mut DbConn| {
        diesel::Connection::transaction::<_, DbError, _>(c, |c| {
            let now = minyi::db::now();
            let id = rounds::create(c, v.id, &valid_round("2027年度民主征集"), clerk)?;
            let round = rounds::get(c, v.id, id)?.expect("round");
            assert!(rounds::open(c, &round, now)?);
            let cast = Casting {
                round_id: id,
                household_id: household,
                group_id: v.groups[0],
                channel: minyi::collection::ballot::BallotChannel::Kiosk,
                paper_serial: None,
                site_id: None,
                entered_by: None,
            };
            let suggestion = minyi::collection::ballot::Suggestion {
                category: "道路交通".to_string(),
                title: "修村口的路".to_string(),
                details: "雨天积水".to_string(),
                place: "村口".to_string(),
                cost_fen: None,
            };
            let written = ballots::write(c, &cast, 0, &[suggestion])?;
            assert!(matches!(written, Written::Stored { .. }), "{written:?}");
            let site = paper_store::create_site(c, id, "文化礼堂")?.expect("site");
            let certificate = Certificate {
                issued: 10,
                returned: 5,
                spoiled: 1,
                custodian_one: "王大伯",
                custodian_two: "李阿姨",
                staff_custodian_one: "文书小陈",
                staff_custodian_two: "镇干部老周",
            };
            assert!(paper_store::certify(c, id, site, &certificate, clerk)?);
            let notice = notices::create_draft(
                c,
                &Draft {
                    village_id: v.id,
                    kind: minyi::notices::domain::Kind::Plan,
                    title: "路灯安装实施方案",
                    body: "安装路灯二十盏。",
                    subject: None,
                    supersedes: None,
                    created_by: clerk,
                },
            )?;
            assert!(notices::publish(c, notice, now)?.is_some());
            let objection = notices::file(
                c,
                &Filing {
                    notice_id: notice,
                    household_id: household,
                    channel: minyi::notices::states::ObjectionChannel::Written,
                    body: "路灯位置不合理",
                    recorded_by: Some(clerk),
                },
                now,
            )?;
            use minyi::db::schema::objections as o;
            diesel::update(o::table.filter(o::id.eq(objection)))
                .set(o::answer_due_at.eq(now - chrono::TimeDelta::days(1)))
                .execute(c)?;
            Ok(())
        })
        .expect("fixtures")
    });
}

#[actix_web::test]
async fn a_supervisor_of_the_village_sees_rounds_sites_and_overdue_objections() {
    let app = spawn_app().await;
    let v = app.village("supa");
    let clerk = app.staff("clerk.supa", Role::Clerk, Scope::Village(v.id));
    app.staff("sup.supa", Role::Supervisor, Scope::Village(v.id));
    village_with_records(&app, &v, clerk);
    let browser = app.browser();
    browser.login_staff("sup.supa").await;
    let landing = browser.get("/staff").await;
    assert!(
        landing.body.contains("href=\"/staff/v/supa/supervision\""),
        "the workspace links the page: {}",
        landing.body
    );
    let page = browser.get("/staff/v/supa/supervision").await;
    assert_eq!(page.status, 200, "{}", page.body);
    for expected in [
        "2027年度民主征集",
        "征集中",
        "已计票数: 1",
        "名册户数: 1",
        "文化礼堂",
        "王大伯",
        "收回减废票应为 4 张，实际录入计入 0 张。",
        "逾期未答复的异议（1）",
        "路灯安装实施方案",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    // The layout's sign-out and one remark form per round: nothing else is written here.
    assert_eq!(page.body.matches("<form").count(), 2, "{}", page.body);
    assert!(page.body.contains("action=\"/logout\""));
    assert_eq!(page.body.matches("/remarks\"").count(), 1);
}

/// A supervisor records a remark on a round: once per form, audited, kept with the author's name,
/// shown to the clerks on the round's page and on its public page; an empty one comes back with
/// why; a clerk cannot write one. The board also sees a paper typed only once, with its typist.
#[actix_web::test]
async fn a_supervisor_records_a_remark_the_clerks_and_the_public_read() {
    let app = spawn_app().await;
    let v = app.village("supr");
    let clerk = app.staff("clerk.supr", Role::Clerk, Scope::Village(v.id));
    app.staff("sup.supr", Role::Supervisor, Scope::Village(v.id));
    village_with_records(&app, &v, clerk);
    let round: i64 = app.with_conn(|c| {
        use minyi::db::schema::collection_rounds as cr;
        cr::table.select(cr::id).first(c).expect("round")
    });
    let household: i64 = app.with_conn(|c| {
        use minyi::db::schema::households as h;
        h::table.select(h::id).first(c).expect("household")
    });
    app.with_conn(|c| {
        let typed = minyi::collection::paper_store::add_entry(
            c, round, household, "S9-0007", None, clerk, "{}",
        )
        .expect("typing");
        assert!(typed.is_some());
    });
    let sup = app.browser();
    sup.login_staff("sup.supr").await;
    let page = sup.get("/staff/v/supr/supervision").await;
    assert!(page.body.contains("S9-0007") && page.body.contains("只录入一遍，等第二遍"));
    assert!(
        page.body.contains("clerk.supr") || page.body.contains("文书"),
        "the typist is named"
    );
    let once = page.field("once").unwrap_or_default();
    let path = format!("/staff/v/supr/supervision/rounds/{round}/remarks");

    let empty = sup.post(&path, &[("body", "   "), ("once", &once)]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("请写意见"));
    let text = "纸质票 S9-0007 只录了一遍，请尽快完成第二遍录入。";
    let first = sup.post(&path, &[("body", text), ("once", &once)]).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let again = sup.post(&path, &[("body", text), ("once", &once)]).await;
    assert_eq!(again.status, 303, "a double click lands on the page");
    let count = app.with_conn(|c| {
        use minyi::db::schema::supervisor_remarks as sr;
        sr::table.count().get_result::<i64>(c).expect("count")
    });
    assert_eq!(count, 1, "recorded once");
    assert!(
        app.audit_actions()
            .iter()
            .any(|(a, s, _)| a == "supervision.remark" && *s == format!("round:{round}"))
    );

    let clerk_page = app.browser();
    clerk_page.login_staff("clerk.supr").await;
    let round_page = clerk_page
        .get(&format!("/staff/v/supr/rounds/{round}"))
        .await;
    assert!(round_page.body.contains(text) && round_page.body.contains("监事会意见"));
    let public = app.browser().get(&format!("/v/supr/rounds/{round}")).await;
    assert!(
        public.body.contains(text),
        "the public page shows the remark"
    );
    let refused = clerk_page
        .post(&path, &[("body", "文书不能写监事会意见"), ("once", "")])
        .await;
    assert_eq!(refused.status, 403);
}

#[actix_web::test]
async fn the_supervision_page_refuses_other_villages_supervisors_clerks_and_anonymous() {
    let app = spawn_app().await;
    let v = app.village("supb");
    let other = app.village("supc");
    app.staff("sup.other", Role::Supervisor, Scope::Village(other.id));
    app.staff("clerk.supb", Role::Clerk, Scope::Village(v.id));
    for name in ["sup.other", "clerk.supb"] {
        let browser = app.browser();
        browser.login_staff(name).await;
        let page = browser.get("/staff/v/supb/supervision").await;
        assert_eq!(page.status, 403, "{name}: {}", page.body);
        let landing = browser.get("/staff").await;
        assert!(
            !landing.body.contains("/staff/v/supb/supervision"),
            "{name}"
        );
    }
    let page = app.browser().get("/staff/v/supb/supervision").await;
    assert_eq!(page.status, 303);
    let location = page.location.unwrap_or_default();
    assert!(location.starts_with("/login"), "{location}");
}
