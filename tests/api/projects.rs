//! Integration tests: a project from the council's approval through its plan, the plan's vote
//! and notice, execution and inspections, to acceptance; the notices gate asked when work
//! starts; roles, other villages and double submits.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::projects::states::{PlanState, ProjectStatus};

use crate::council::{Council, convene};
use crate::helpers::Browser;
use crate::sorting::{cleared_shortlist, closed_round};

// The notices gate, acceptance, roles and other villages.
#[path = "projects_work.rs"]
mod work;
// Attachments: types by content, size, headers.
#[path = "projects_files.rs"]
mod files;
// Races: start against an upheld objection, two starts at once.
#[path = "projects_races.rs"]
mod races;

pub(crate) struct Flow {
    pub(crate) c: Council,
    pub(crate) project: i64,
    pub(crate) supervisor: Browser,
    pub(crate) clerk_id: i64,
}

fn staff_id(c: &Council, name: &str) -> i64 {
    c.app.with_conn(|conn| {
        use minyi::db::schema::staff as st;
        st::table
            .filter(st::username.eq(name))
            .select(st::id)
            .first::<i64>(conn)
            .expect("staff")
    })
}

/// Puts a motion of `kind` naming `field = id`, opens it, has three of five members vote yes,
/// closes it.
async fn pass(c: &Council, kind: &str, field: &str, id: i64) {
    let id = id.to_string();
    let put = c
        .clerk
        .post(
            &format!("{}/motions", c.meeting),
            &[("kind", kind), ("text", "表决"), (field, &id)],
        )
        .await;
    assert_eq!(put.status, 303, "{}", put.body);
    let motion: i64 = c.app.with_conn(|conn| {
        use minyi::db::schema::motions::dsl as mo;
        mo::motions
            .select(mo::id)
            .order(mo::id.desc())
            .first(conn)
            .expect("motion")
    });
    let opened = c
        .clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    for i in 0..3 {
        assert_eq!(c.vote(i, motion, "yes").await, 303);
    }
    let closed = c
        .clerk
        .post(&format!("{}/motions/{motion}/close", c.meeting), &[])
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
}

pub(crate) fn status(f: &Flow) -> ProjectStatus {
    f.c.app.with_conn(|conn| {
        minyi::projects::store::get(conn, f.c.v.id, f.project)
            .expect("read")
            .expect("project")
            .status
    })
}

pub(crate) fn plans(f: &Flow) -> Vec<minyi::projects::plan_store::Plan> {
    f.c.app
        .with_conn(|conn| minyi::projects::plan_store::plans(conn, &[f.project]).expect("plans"))
}

impl Flow {
    pub(crate) fn page(&self) -> String {
        format!("/staff/v/{}/projects/{}", self.c.v.code, self.project)
    }
}

/// A valid self-built plan: 12.5 t × ¥450.00 + 3 days × ¥200.00 = ¥6,225.00.
pub(crate) fn plan_fields(once: &str) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = vec![
        ("method", "self_built".into()),
        ("starts_on", "2026-12-01".into()),
        ("ends_on", "2027-01-31".into()),
        ("item", "水泥".into()),
        ("quantity", "12.5".into()),
        ("unit", "吨".into()),
        ("price", "450".into()),
        ("item", "人工".into()),
        ("quantity", "3".into()),
        ("unit", "天".into()),
        ("price", "200".into()),
        ("fund_earmarked", "5000".into()),
        ("fund_village_own", "1225".into()),
        ("fund_other", "".into()),
    ];
    if !once.is_empty() {
        f.push(("once", once.into()));
    }
    f
}

pub(crate) async fn post(b: &Browser, path: &str, fields: &[(&'static str, String)]) -> u16 {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post(path, &refs).await.status
}

/// A village with a council, an approved project, and a drafted plan passed by the council.
pub(crate) async fn plan_approved(code: &str) -> Flow {
    let c = convene(code).await;
    let clerk_id = staff_id(&c, &format!("clerk.{code}"));
    let (round, ids) = closed_round(&c.app, &c.v, clerk_id);
    cleared_shortlist(&c.app, &c.v, round, clerk_id);
    let (a, b) = (ids[0].to_string(), ids[2].to_string());
    let made = c
        .clerk
        .post(
            &format!("/staff/v/{code}/rounds/{round}/candidates"),
            &[
                ("title", "村口路灯"),
                ("category", "照明"),
                ("suggestion", &a),
                ("suggestion", &b),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3, 4]).await;
    let candidate = c.app.with_conn(|conn| {
        minyi::council::candidate_store::open_candidates(conn, c.v.id).expect("open")[0].id
    });
    pass(&c, "approve_candidate", "candidate", candidate).await;
    let project: i64 = c.app.with_conn(|conn| {
        use minyi::db::schema::projects as pr;
        pr::table.select(pr::id).first(conn).expect("a project")
    });
    c.app.staff(
        &format!("sup.{code}"),
        Role::Supervisor,
        Scope::Village(c.v.id),
    );
    let supervisor = c.app.browser();
    supervisor.login_staff(&format!("sup.{code}")).await;
    let f = Flow {
        c,
        project,
        supervisor,
        clerk_id,
    };
    assert_eq!(status(&f), ProjectStatus::Approved);
    let drafted = post(&f.c.clerk, &format!("{}/plan", f.page()), &plan_fields("")).await;
    assert_eq!(drafted, 303);
    assert_eq!(status(&f), ProjectStatus::PlanDrafted);
    let plan = plans(&f)[0].id;
    pass(&f.c, "approve_plan", "plan", plan).await;
    f
}

#[actix_web::test]
async fn a_plan_is_checked_voted_and_published_as_a_notice() {
    let f = plan_approved("pj1").await;
    let p = &plans(&f)[0];
    assert_eq!(p.state, PlanState::Approved);
    assert_eq!(p.total.fen(), 622_500, "12.5 × 450 + 3 × 200 yuan");
    assert_eq!(status(&f), ProjectStatus::PlanApproved);
    // Work cannot start before the plan is noticed.
    let early = f.c.clerk.post(&format!("{}/start", f.page()), &[]).await;
    assert_eq!(early.status, 409);
    let published = f.c.clerk.post(&format!("{}/notice", f.page()), &[]).await;
    assert_eq!(published.status, 303, "{}", published.body);
    assert_eq!(status(&f), ProjectStatus::InNotice);
    let in_period = f.c.clerk.post(&format!("{}/start", f.page()), &[]).await;
    assert_eq!(in_period.status, 409, "the notice period is running");
    assert!(
        in_period.body.contains("公示尚未通过"),
        "{}",
        in_period.body
    );
    assert_eq!(status(&f), ProjectStatus::InNotice);
    let public = f.c.app.browser();
    let page = public.get(&format!("/v/pj1/projects/{}", f.project)).await;
    assert_eq!(page.status, 200);
    for expected in [
        "村口路灯",
        "2 户支持",
        "¥6,225.00",
        "水泥",
        "12.5 吨",
        "实施方案公示",
        "/v/pj1/notices/",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }
    let list = public
        .get("/v/pj1/projects?status=in_notice&category=照明")
        .await;
    assert!(list.body.contains("村口路灯"));
    let none = public.get("/v/pj1/projects?status=accepted").await;
    assert!(!none.body.contains("村口路灯"));
}

#[actix_web::test]
async fn a_bad_plan_is_returned_with_its_fields_and_an_approved_one_is_not_redrafted() {
    let f = plan_approved("pj3").await;
    // A new draft is refused while the project is past drafting and no objection was upheld.
    let again = post(&f.c.clerk, &format!("{}/plan", f.page()), &plan_fields("")).await;
    assert_eq!(again, 409);
    let mut bad = plan_fields("");
    for (k, v) in bad.iter_mut() {
        if *k == "fund_village_own" {
            *v = "1000".into();
        }
    }
    let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = f.c.clerk.post(&format!("{}/plan", f.page()), &refs).await;
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("各资金来源之和必须等于预算合计"),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"水泥\""), "fields are kept");
}
