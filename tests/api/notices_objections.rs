//! Integration tests: objections to notices (households online, clerks on a household's
//! behalf), their public answers, the period and flood limits, the gate, overdue reminders.

use chrono::TimeDelta;
use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::notices::domain::Gate;
use minyi::notices::store::{self, Filing};

use crate::helpers::{Browser, TestApp, Village, spawn_app};
use crate::notices::{clerk, published};

async fn household_on_phone(app: &TestApp, v: &Village, number: &str) -> Browser {
    app.household(v, number, "104729");
    let b = app.browser();
    let login = b
        .post(
            &format!("/v/{}/login", v.code),
            &[("number", number), ("pin", "104729")],
        )
        .await;
    assert_eq!(login.status, 303);
    b
}

#[actix_web::test]
async fn a_household_objects_and_the_answer_is_public_without_its_identity() {
    let app = spawn_app().await;
    let v = app.village("n3");
    let clerk = clerk(&app, &v).await;
    let id = published(&app, &v, "路灯方案", Some("project:7"), 0);
    let phone = household_on_phone(&app, &v, "0301").await;
    let page = phone.get(&format!("/v/n3/notices/{id}")).await;
    assert!(
        page.body.contains(&format!("/v/n3/notices/{id}/object")),
        "a signed-in household sees where to object"
    );
    let empty = phone
        .post(&format!("/v/n3/notices/{id}/object"), &[("body", "  ")])
        .await;
    assert_eq!(empty.status, 422);
    let long = phone
        .post(
            &format!("/v/n3/notices/{id}/object"),
            &[("body", &"长".repeat(1001))],
        )
        .await;
    assert_eq!(long.status, 422);
    let filed = phone
        .post(
            &format!("/v/n3/notices/{id}/object"),
            &[("body", "路灯位置离我家太近")],
        )
        .await;
    assert_eq!(filed.status, 200);
    assert!(filed.body.contains("异议已登记"));
    assert_eq!(
        app.with_conn(|c| store::gate(
            c,
            v.id,
            "project:7",
            minyi::db::now() + TimeDelta::days(30)
        )
        .expect("gate")),
        Gate::Unanswered { count: 1 }
    );

    let objection = app.with_conn(|c| store::objections_of(c, id).expect("objections")[0].id);
    let answered = clerk
        .post(
            &format!("/staff/v/n3/notices/{id}/objections/{objection}/answer"),
            &[("answer", "已调整到路口")],
        )
        .await;
    assert_eq!(answered.status, 303);
    let twice = clerk
        .post(
            &format!("/staff/v/n3/notices/{id}/objections/{objection}/answer"),
            &[("answer", "再答")],
        )
        .await;
    assert_eq!(twice.status, 409);
    let public = app.browser().get(&format!("/v/n3/notices/{id}")).await;
    assert!(public.body.contains("路灯位置离我家太近") && public.body.contains("已调整到路口"));
    assert!(
        !public.body.contains("0301") && !public.body.contains("张"),
        "no household identity"
    );
    assert_eq!(
        app.with_conn(|c| store::gate(c, v.id, "project:7", minyi::db::now()).expect("gate")),
        Gate::InPeriod {
            ends_at: app.with_conn(|c| store::get(c, v.id, id)
                .expect("q")
                .expect("n")
                .period_ends_at
                .expect("end"))
        }
    );
    assert_eq!(
        app.with_conn(
            |c| store::gate(c, v.id, "project:7", minyi::db::now() + TimeDelta::days(9))
                .expect("gate")
        ),
        Gate::Cleared
    );
}

#[actix_web::test]
async fn objections_outside_the_period_or_village_and_floods_are_refused() {
    let app = spawn_app().await;
    let v = app.village("n4");
    let other = app.village("n5");
    let ended = published(&app, &v, "旧公示", None, 20);
    let open = published(&app, &v, "新公示", None, 0);
    let phone = household_on_phone(&app, &v, "0401").await;
    let late = phone
        .post(
            &format!("/v/n4/notices/{ended}/object"),
            &[("body", "太晚了")],
        )
        .await;
    assert_eq!(late.status, 409);
    assert!(late.body.contains("不在公示期内"));
    let stranger = household_on_phone(&app, &other, "0501").await;
    let foreign = stranger
        .post(
            &format!("/v/n4/notices/{open}/object"),
            &[("body", "我不是本村的")],
        )
        .await;
    assert_eq!(
        foreign.status, 303,
        "a household of another village is not signed in here"
    );
    assert_eq!(
        stranger
            .get(&format!("/v/n5/notices/{open}/object"))
            .await
            .status,
        404,
        "nor is the notice theirs"
    );
    for n in 0..5 {
        let ok = phone
            .post(
                &format!("/v/n4/notices/{open}/object"),
                &[("body", &format!("第{n}条"))],
            )
            .await;
        assert_eq!(ok.status, 200);
    }
    let flood = phone
        .post(
            &format!("/v/n4/notices/{open}/object"),
            &[("body", "第六条")],
        )
        .await;
    assert_eq!(flood.status, 429);
    assert_eq!(
        app.with_conn(|c| store::objections_of(c, open).expect("o").len()),
        5
    );
}

#[actix_web::test]
async fn an_upheld_objection_holds_the_subject_until_a_later_notice_runs_its_period() {
    let app = spawn_app().await;
    let v = app.village("n6");
    let clerk = clerk(&app, &v).await;
    let first = published(&app, &v, "方案", Some("project:9"), 0);
    let household = app.household(&v, "0601", "104729");
    let objection = app.with_conn(|c| {
        store::file(
            c,
            &Filing {
                notice_id: first,
                household_id: household,
                channel: minyi::notices::states::ObjectionChannel::Written,
                body: "预算偏高",
                recorded_by: None,
            },
            minyi::db::now(),
        )
        .expect("file")
    });
    clerk
        .post(
            &format!("/staff/v/n6/notices/{first}/objections/{objection}/answer"),
            &[("answer", "异议成立，重新研究"), ("upheld", "on")],
        )
        .await;
    let later = minyi::db::now() + TimeDelta::days(30);
    assert_eq!(
        app.with_conn(|c| store::gate(c, v.id, "project:9", later).expect("gate")),
        Gate::Upheld
    );
    let next = clerk
        .post(&format!("/staff/v/n6/notices/{first}/supersede"), &[])
        .await;
    assert_eq!(next.status, 303);
    let draft = next.location.expect("draft page");
    assert_eq!(
        clerk.post(&format!("{draft}/publish"), &[]).await.status,
        303
    );
    assert!(matches!(
        app.with_conn(|c| store::gate(c, v.id, "project:9", minyi::db::now()).expect("gate")),
        Gate::InPeriod { .. }
    ));
    assert_eq!(
        app.with_conn(|c| store::gate(c, v.id, "project:9", later).expect("gate")),
        Gate::Cleared
    );
    let old = app.browser().get(&format!("/v/n6/notices/{first}")).await;
    assert!(
        old.body.contains("本公示已有新版本"),
        "both stay public, linked"
    );
    let again = clerk
        .post(&format!("/staff/v/n6/notices/{first}/supersede"), &[])
        .await;
    assert_eq!(
        (again.status, again.location.as_deref()),
        (303, Some(draft.as_str())),
        "one successor only: asking again lands on it"
    );
}

#[actix_web::test]
async fn a_clerk_records_an_oral_objection_for_a_household() {
    let app = spawn_app().await;
    let v = app.village("n7");
    let clerk = clerk(&app, &v).await;
    let id = published(&app, &v, "公示", None, 0);
    app.household(&v, "0701", "104729");
    let bad = clerk
        .post(
            &format!("/staff/v/n7/notices/{id}/objections"),
            &[
                ("number", "9999"),
                ("channel", "oral"),
                ("body", "口头意见"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    let ok = clerk
        .post(
            &format!("/staff/v/n7/notices/{id}/objections"),
            &[
                ("number", "0701"),
                ("channel", "oral"),
                ("body", "口头意见"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let list = app.with_conn(|c| store::objections_of(c, id).expect("o"));
    assert_eq!(
        (
            list.len(),
            list[0].channel.as_str(),
            list[0].recorded_by.is_some()
        ),
        (1, "oral", true)
    );
    // After the period, the clerk is told so (409) and nothing is recorded.
    let ended = published(&app, &v, "旧公示", None, 30);
    let late = clerk
        .post(
            &format!("/staff/v/n7/notices/{ended}/objections"),
            &[
                ("number", "0701"),
                ("channel", "written"),
                ("body", "书面意见"),
            ],
        )
        .await;
    assert_eq!(late.status, 409);
    assert!(late.body.contains("现在不在公示期内"), "{}", late.body);
    assert!(
        app.with_conn(|c| store::objections_of(c, ended).expect("o"))
            .is_empty()
    );
}

#[actix_web::test]
async fn overdue_objections_are_listed_and_mailed_to_the_clerks_once() {
    let app = spawn_app().await;
    let v = app.village("n8");
    let clerk_id = app.staff("clerk.n8", Role::Clerk, Scope::Village(v.id));
    app.with_conn(|c| {
        use minyi::db::schema::staff::dsl as st;
        diesel::update(st::staff.filter(st::id.eq(clerk_id)))
            .set(st::email.eq("clerk@n8.example"))
            .execute(c)
            .expect("email")
    });
    let clerk = app.browser();
    clerk.login_staff("clerk.n8").await;
    let id = published(&app, &v, "公示", None, 15);
    let household = app.household(&v, "0801", "104729");
    app.with_conn(|c| {
        store::file(
            c,
            &Filing {
                notice_id: id,
                household_id: household,
                channel: minyi::notices::states::ObjectionChannel::Online,
                body: "没人答复",
                recorded_by: None,
            },
            minyi::db::now() - TimeDelta::days(12),
        )
        .expect("file")
    });
    let list = clerk.get("/staff/v/n8/notices").await;
    assert!(list.body.contains("1 条异议已超过答复期限"));
    let now = minyi::db::now();
    let first = app.with_conn(|c| {
        minyi::db::in_transaction(c, |c| minyi::notices::reminders::enqueue_overdue(c, now))
            .expect("remind")
    });
    let second = app.with_conn(|c| {
        minyi::db::in_transaction(c, |c| minyi::notices::reminders::enqueue_overdue(c, now))
            .expect("remind")
    });
    assert_eq!((first, second), (1, 0), "once");
    let mails: Vec<(String, String)> = app.with_conn(|c| {
        use minyi::db::schema::outbox::dsl as ob;
        ob::outbox
            .select((ob::recipient, ob::subject))
            .load(c)
            .expect("outbox")
    });
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "clerk@n8.example");
    assert!(mails[0].1.contains("逾期未答复"));
}
