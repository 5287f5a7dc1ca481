//! The notices gate when work starts (period running, unanswered objection, upheld objection),
//! execution, inspections and acceptance, roles (clerk-only and supervisor-only actions),
//! another village's projects and double submits.

use chrono::TimeDelta;
use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::notices::domain::Gate;
use minyi::notices::states::{AnswerOutcome, ObjectionChannel};
use minyi::projects::states::{PlanState, ProjectStatus};

use super::{Flow, plan_approved, plan_fields, plans, post, status};

fn who(f: &Flow) -> minyi::council::commands::Who {
    let village =
        f.c.app
            .with_conn(|c| minyi::villages::store::find_village(c, &f.c.v.code))
            .expect("q")
            .expect("village");
    minyi::council::commands::Who {
        staff: f.clerk_id,
        village,
        addr: "127.0.0.1".into(),
    }
}

/// Publishes the plan notice `days_ago`, through the command.
pub(super) fn noticed(f: &Flow, days_ago: i64) -> i64 {
    let who = who(f);
    let at = minyi::db::now() - TimeDelta::days(days_ago);
    f.c.app.with_conn(|c| {
        minyi::projects::commands::publish_plan_notice_at(c, &who, f.project, "", at)
            .expect("published")
    });
    assert_eq!(status(f), ProjectStatus::InNotice);
    plans(f)
        .iter()
        .rev()
        .find_map(|p| p.notice_id)
        .expect("the plan names its notice")
}

fn object(f: &Flow, notice: i64) -> i64 {
    let household = f.c.app.household(&f.c.v, "0901", "104729");
    f.c.app.with_conn(|c| {
        let filing = minyi::notices::store::Filing {
            notice_id: notice,
            household_id: household,
            channel: ObjectionChannel::Online,
            body: "路灯位置不合适",
            recorded_by: None,
        };
        minyi::notices::store::file(c, &filing, minyi::db::now()).expect("filed")
    })
}

fn answer(f: &Flow, notice: i64, objection: i64, outcome: AnswerOutcome) {
    let w = who(f);
    let clerk = minyi::notices::commands::Clerk {
        staff_id: w.staff,
        village: w.village,
        address: w.addr,
    };
    f.c.app.with_conn(|c| {
        minyi::db::in_transaction(c, |c| {
            minyi::notices::commands::answer(c, &clerk, notice, objection, "已答复", outcome)
        })
        .expect("answered")
    });
}

async fn start(f: &Flow) -> u16 {
    f.c.clerk
        .post(&format!("{}/start", f.page()), &[])
        .await
        .status
}

#[actix_web::test]
async fn work_cannot_start_while_an_objection_is_unanswered_or_upheld() {
    let f = plan_approved("pw1").await;
    let notice = noticed(&f, 20);
    let objection = object(&f, notice);
    assert_eq!(start(&f).await, 409, "an unanswered objection");
    assert_eq!(status(&f), ProjectStatus::InNotice);
    answer(&f, notice, objection, AnswerOutcome::Upheld);
    assert_eq!(start(&f).await, 409, "an upheld objection");
    // The committee's next step is a new plan version, a new vote and a new notice.
    let redrafted = post(&f.c.clerk, &format!("{}/plan", f.page()), &plan_fields("")).await;
    assert_eq!(redrafted, 303);
    assert_eq!(status(&f), ProjectStatus::PlanDrafted);
    let states: Vec<PlanState> = plans(&f).iter().map(|p| p.state).collect();
    assert_eq!(states, vec![PlanState::Superseded, PlanState::Draft]);
    // The ledger sees no approved plan any more.
    let approved =
        f.c.app
            .with_conn(|c| minyi::projects::scope::approved_plans(c, &[f.project]).expect("plans"));
    assert!(approved.is_empty());
}

#[actix_web::test]
async fn a_project_is_inspected_and_accepted_only_without_open_problems() {
    let f = plan_approved("pw2").await;
    noticed(&f, 20);
    let gate = f.c.app.with_conn(|c| {
        minyi::notices::store::gate(
            c,
            f.c.v.id,
            &format!("project:{}", f.project),
            minyi::db::now(),
        )
        .expect("gate")
    });
    assert_eq!(gate, Gate::Cleared);
    assert_eq!(
        f.supervisor
            .post(&format!("{}/start", f.page()), &[])
            .await
            .status,
        403,
        "supervisors do not start work"
    );
    assert_eq!(start(&f).await, 303);
    assert_eq!(status(&f), ProjectStatus::InProgress);
    // A progress update posted twice with one form token is stored once.
    let once = minyi::web::once::new_token();
    let fields = [
        ("reported_on", "2026-12-10"),
        ("percent", "40"),
        ("body", "基础完成"),
        ("once", once.as_str()),
    ];
    for _ in 0..2 {
        assert_eq!(
            f.c.clerk
                .post(&format!("{}/progress", f.page()), &fields)
                .await
                .status,
            303
        );
    }
    let posted =
        f.c.app
            .with_conn(|c| minyi::projects::work_store::progress(c, f.project).expect("progress"));
    assert_eq!(posted.len(), 1, "a double submit acts once");
    let bad = [
        ("reported_on", "2026-12-10"),
        ("percent", "140"),
        ("body", "x"),
    ];
    assert_eq!(
        f.c.clerk
            .post(&format!("{}/progress", f.page()), &bad)
            .await
            .status,
        422
    );
    let inspection = [
        ("inspected_on", "2026-12-12"),
        ("place", "村口"),
        ("findings", "灯杆基础偏浅"),
        ("result", "problem"),
        ("follow_up", "加深基础"),
    ];
    assert_eq!(
        f.c.clerk
            .post(&format!("{}/inspections", f.page()), &inspection)
            .await
            .status,
        403,
        "clerks do not record inspections"
    );
    assert_eq!(
        f.supervisor
            .post(&format!("{}/inspections", f.page()), &inspection)
            .await
            .status,
        303
    );
    let id = f
        .c
        .app
        .with_conn(|c| minyi::projects::work_store::inspections(c, f.project).expect("read")[0].id);
    assert_eq!(
        f.c.clerk
            .post(&format!("{}/complete", f.page()), &[])
            .await
            .status,
        303
    );
    assert_eq!(status(&f), ProjectStatus::Completed);
    let acceptance = [
        ("accepted_on", "2027-01-20"),
        ("result", "passed"),
        ("reasons", "符合方案"),
        ("role", "supervisor"),
        ("person", "李监事"),
        ("role", "household_rep"),
        ("person", "王代表"),
    ];
    let blocked =
        f.c.clerk
            .post(&format!("{}/acceptance", f.page()), &acceptance)
            .await;
    assert_eq!(blocked.status, 409);
    assert!(blocked.body.contains("未销号"), "{}", blocked.body);
    // Closing needs the committee's response first.
    let early = f
        .supervisor
        .post(&format!("{}/inspections/{id}/close", f.page()), &[])
        .await;
    assert_eq!(early.status, 409);
    let responded =
        f.c.clerk
            .post(
                &format!("{}/inspections/{id}/respond", f.page()),
                &[("text", "已加深至一米")],
            )
            .await;
    assert_eq!(responded.status, 303);
    assert_eq!(
        f.c.clerk
            .post(&format!("{}/inspections/{id}/close", f.page()), &[])
            .await
            .status,
        403,
        "only a supervisor closes a problem"
    );
    assert_eq!(
        f.supervisor
            .post(&format!("{}/inspections/{id}/close", f.page()), &[])
            .await
            .status,
        303
    );
    let no_rep = [
        ("accepted_on", "2027-01-20"),
        ("result", "passed"),
        ("reasons", "符合方案"),
        ("role", "supervisor"),
        ("person", "李监事"),
    ];
    assert_eq!(
        f.c.clerk
            .post(&format!("{}/acceptance", f.page()), &no_rep)
            .await
            .status,
        422,
        "a household representative takes part"
    );
    assert_eq!(
        f.supervisor
            .post(&format!("{}/acceptance", f.page()), &acceptance)
            .await
            .status,
        403,
        "the committee records the acceptance"
    );
    assert_eq!(
        f.c.clerk
            .post(&format!("{}/acceptance", f.page()), &acceptance)
            .await
            .status,
        303
    );
    assert_eq!(status(&f), ProjectStatus::Accepted);
    let acc =
        f.c.app
            .with_conn(|c| minyi::projects::work_store::acceptances(c, f.project).expect("read"));
    let notice = acc[0].notice_id.expect("a passed acceptance is published");
    let subject = f.c.app.with_conn(|c| {
        minyi::notices::store::get(c, f.c.v.id, notice)
            .expect("q")
            .expect("notice")
            .subject
    });
    assert_eq!(subject, Some(format!("acceptance:{}", f.project)));
    let public = f.c.app.browser();
    let page = public.get(&format!("/v/pw2/projects/{}", f.project)).await;
    for expected in [
        "基础完成",
        "灯杆基础偏浅",
        "已加深至一米",
        "已销号",
        "验收合格",
        "王代表",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    assert!(
        !page.body.contains("0101") && !page.body.contains("0901"),
        "no households"
    );
    // Recorded work is append-only in the database.
    let refused = f.c.app.with_conn(|c| {
        diesel::sql_query("UPDATE project_progress SET percent = 90")
            .execute(c)
            .is_err()
    });
    assert!(refused, "a progress update never changes");
}

#[actix_web::test]
async fn another_villages_project_is_not_found() {
    let f = plan_approved("pw3").await;
    let other = f.c.app.village("pw4");
    f.c.app
        .staff("clerk.pw4", Role::Clerk, Scope::Village(other.id));
    let b = f.c.app.browser();
    b.login_staff("clerk.pw4").await;
    let path = format!("/staff/v/pw4/projects/{}", f.project);
    assert_eq!(b.get(&path).await.status, 404);
    assert_eq!(b.post(&format!("{path}/start"), &[]).await.status, 404);
    let public = f.c.app.browser();
    assert_eq!(
        public
            .get(&format!("/v/pw4/projects/{}", f.project))
            .await
            .status,
        404
    );
    assert_eq!(
        b.get(&f.page()).await.status,
        403,
        "a clerk of another village has no role here"
    );
}
