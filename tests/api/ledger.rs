//! The earmarked-fund ledger over HTTP: a clerk records, another supervisor posts, the public
//! sees every posted entry and the chain head; every scope rule refuses with its reason (and is
//! audited); the scope is checked again at posting; the recorder never verifies their own entry;
//! forms act once; a reversal undoes an entry once; the statement is drafted. The database's
//! side is in `ledger_database.rs`.

use chrono::NaiveDate;
use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::db::DbConn;
use minyi::ledger::fixture::{ClearedProject, cleared_project};
use minyi::money::Money;

use crate::helpers::{Browser, TestApp, Village, spawn_app};

pub(crate) struct World {
    pub app: TestApp,
    pub v: Village,
    pub clerk: Browser,
    pub sup: Browser,
    pub clerk_id: i64,
    pub fund: i64,
    pub project: i64,
}

pub(crate) fn project(app: &TestApp, v: &Village, staff: i64, title: &str, fen: i64) -> i64 {
    project_with(app, v, staff, title, fen, "cleared", Some(30))
}

pub(crate) fn project_with(
    app: &TestApp,
    v: &Village,
    staff: i64,
    title: &str,
    fen: i64,
    status: &str,
    notice_days_ago: Option<i64>,
) -> i64 {
    app.with_conn(|c| {
        cleared_project(
            c,
            &ClearedProject {
                village_id: v.id,
                staff_id: staff,
                title,
                earmarked: Money::from_fen(fen),
                starts_on: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
                ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
                status,
                notice_days_ago,
            },
        )
        .expect("project")
    })
}

/// A village with a clerk, a supervisor, a 2026 fund and a cleared project with ¥5,000.00 of
/// earmarked budget.
pub(crate) async fn world(code: &str) -> World {
    let app = spawn_app().await;
    let v = app.village(code);
    let clerk_name = format!("clerk.{code}");
    let sup_name = format!("sup.{code}");
    let clerk_id = app.staff(&clerk_name, Role::Clerk, Scope::Village(v.id));
    app.staff(&sup_name, Role::Supervisor, Scope::Village(v.id));
    let clerk = app.browser();
    clerk.login_staff(&clerk_name).await;
    let sup = app.browser();
    sup.login_staff(&sup_name).await;
    let created = clerk
        .post(
            &format!("/staff/v/{code}/funds/new"),
            &[
                ("year", "2026"),
                ("name", "2026年村级公共服务和社会管理专项资金"),
                ("source", "县财政"),
                ("allocation", "100000"),
                ("algorithm", "sha256"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let fund = created
        .location
        .as_deref()
        .and_then(|l| l.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .expect("fund id");
    let project = project(&app, &v, clerk_id, "修村道", 500_000);
    World {
        app,
        v,
        clerk,
        sup,
        clerk_id,
        fund,
        project,
    }
}

impl World {
    pub fn fund_path(&self) -> String {
        format!("/staff/v/{}/funds/{}", self.v.code, self.fund)
    }

    /// Records an entry as the clerk; returns the response.
    pub async fn record(
        &self,
        kind: &str,
        voucher: &str,
        yuan: &str,
        project: Option<i64>,
    ) -> crate::helpers::Page {
        let project = project.map(|p| p.to_string()).unwrap_or_default();
        self.clerk
            .post(
                &format!("{}/entries", self.fund_path()),
                &[
                    ("kind", kind),
                    ("voucher", voucher),
                    ("date", "2026-03-01"),
                    ("payee", "某建材店"),
                    ("description", "水泥"),
                    ("amount", yuan),
                    ("project", &project),
                ],
            )
            .await
    }

    /// The id of the entry with this voucher number.
    pub fn entry(&self, voucher: &str) -> i64 {
        use minyi::db::schema::ledger_entries::dsl as e;
        self.app.with_conn(|c| {
            e::ledger_entries
                .filter(e::voucher.eq(voucher))
                .select(e::id)
                .first(c)
                .expect("entry")
        })
    }

    pub async fn post_as(&self, b: &Browser, voucher: &str) -> crate::helpers::Page {
        let id = self.entry(voucher);
        b.post(&format!("{}/entries/{id}/post", self.fund_path()), &[])
            .await
    }

    /// Records and posts (by the supervisor).
    pub async fn posted(&self, kind: &str, voucher: &str, yuan: &str, project: Option<i64>) {
        let r = self.record(kind, voucher, yuan, project).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let p = self.post_as(&self.sup, voucher).await;
        assert_eq!(p.status, 303, "{}", p.body);
    }

    pub fn state_of(&self, voucher: &str) -> (String, Option<i64>) {
        use minyi::db::schema::ledger_entries::dsl as e;
        self.app.with_conn(|c| {
            e::ledger_entries
                .filter(e::voucher.eq(voucher))
                .select((e::state, e::seq))
                .first(c)
                .expect("entry")
        })
    }
}

pub(crate) fn raw(conn: &mut DbConn, sql: &str) -> Result<usize, String> {
    diesel::sql_query(sql)
        .execute(conn)
        .map_err(|e| e.to_string())
}

#[actix_web::test]
async fn a_clerk_records_a_supervisor_posts_and_the_public_sees_entries_and_chain_head() {
    let w = world("lg1").await;
    w.posted("allocation", "拨-1", "10000", None).await;
    w.posted("expense", "付-1", "1234.56", Some(w.project))
        .await;
    assert_eq!(w.state_of("付-1"), ("posted".into(), Some(2)));
    let page = w
        .app
        .browser()
        .get(&format!("/v/lg1/funds/{}", w.fund))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("¥1,234.56"), "{}", page.body);
    assert!(page.body.contains("¥8,765.44"));
    assert!(page.body.contains("修村道"));
    assert!(page.body.contains("<svg"));
    // The project's own page shows its budget, what was spent and the entry.
    let project_page = w
        .app
        .browser()
        .get(&format!("/v/lg1/projects/{}", w.project))
        .await;
    assert_eq!(project_page.status, 200);
    assert!(
        project_page.body.contains("id=\"spending\"")
            && project_page.body.contains("¥1,234.56")
            && project_page.body.contains("¥3,765.44"),
        "{}",
        project_page.body
    );
    let head: String = w.app.with_conn(|c| {
        use minyi::db::schema::ledger_entries::dsl as e;
        e::ledger_entries
            .filter(e::seq.eq(2))
            .select(e::hash)
            .first::<Option<String>>(c)
            .expect("hash")
            .expect("posted hash")
    });
    assert!(page.body.contains(&head));
    // The QR code points at the configured public address, never a request header.
    let url = w
        .app
        .state
        .settings
        .absolute(&format!("/v/lg1/funds/{}", w.fund));
    assert!(page.body.contains(&url));
}

#[actix_web::test]
async fn pending_and_rejected_entries_do_not_count_and_a_reason_is_required() {
    let w = world("lg2").await;
    w.posted("allocation", "拨-1", "1000", None).await;
    assert_eq!(
        w.record("expense", "付-1", "100", Some(w.project))
            .await
            .status,
        303
    );
    let id = w.entry("付-1");
    let reject = format!("{}/entries/{id}/reject", w.fund_path());
    assert_eq!(w.sup.post(&reject, &[("reason", " ")]).await.status, 422);
    assert_eq!(
        w.sup.post(&reject, &[("reason", "无发票")]).await.status,
        303
    );
    assert_eq!(w.state_of("付-1"), ("rejected".into(), None));
    // Decided once: posting it now is a conflict.
    assert_eq!(w.post_as(&w.sup, "付-1").await.status, 409);
    let page = w
        .app
        .browser()
        .get(&format!("/v/lg2/funds/{}", w.fund))
        .await;
    assert!(page.body.contains("¥1,000.00"));
    assert!(!page.body.contains("付-1"));
}

#[actix_web::test]
async fn each_scope_rule_refuses_with_its_reason_and_is_audited() {
    let w = world("lg3").await;
    w.posted("allocation", "拨-1", "10000", None).await;
    let other = w.app.village("lg3b");
    let foreign = project(&w.app, &other, w.clerk_id, "外村项目", 100_000);
    let in_notice = project_with(
        &w.app,
        &w.v,
        w.clerk_id,
        "公示中",
        100_000,
        "in_notice",
        Some(30),
    );
    let in_period = project_with(
        &w.app,
        &w.v,
        w.clerk_id,
        "公示期内",
        100_000,
        "cleared",
        Some(0),
    );
    let unnoticed = project_with(&w.app, &w.v, w.clerk_id, "未公示", 100_000, "cleared", None);
    let unplanned = project(&w.app, &w.v, w.clerk_id, "方案被否决", 100_000);
    w.app.with_conn(|c| {
        raw(
            c,
            &format!("UPDATE project_plans SET state = 'rejected' WHERE project_id = {unplanned}"),
        )
        .expect("plan rejected")
    });
    let cases = [
        (Some(foreign), "100", "本村没有这个项目"),
        (Some(in_notice), "100", "不允许支出"),
        (Some(in_period), "100", "公示尚未结束"),
        (Some(unnoticed), "100", "公示尚未结束"),
        (Some(unplanned), "100", "没有经议事会通过的实施方案"),
        (Some(w.project), "5000.01", "超出项目专项资金预算"),
    ];
    for (i, (project, yuan, reason)) in cases.iter().enumerate() {
        let r = w.record("expense", &format!("X-{i}"), yuan, *project).await;
        assert_eq!(r.status, 422, "case {i}");
        assert!(r.body.contains(reason), "case {i}: {}", r.body);
    }
    // The balance: a second project's budget is fine, the fund's ¥10,000 is not.
    let big = project(&w.app, &w.v, w.clerk_id, "大项目", 5_000_000);
    let r = w.record("expense", "X-9", "10000.01", Some(big)).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("资金余额不足"), "{}", r.body);
    let refused = w
        .app
        .audit_actions()
        .into_iter()
        .filter(|(a, _, o)| a == "ledger.record" && o == "denied")
        .count();
    assert_eq!(refused, 7);
    let written: i64 = w.app.with_conn(|c| {
        use minyi::db::schema::ledger_entries::dsl as e;
        e::ledger_entries.count().get_result(c).expect("count")
    });
    assert_eq!(written, 1);
}

#[actix_web::test]
async fn posting_checks_the_scope_again() {
    let w = world("lg4").await;
    w.posted("allocation", "拨-1", "10000", None).await;
    assert_eq!(
        w.record("expense", "付-1", "3000", Some(w.project))
            .await
            .status,
        303
    );
    assert_eq!(
        w.record("expense", "付-2", "3000", Some(w.project))
            .await
            .status,
        303
    );
    assert_eq!(w.post_as(&w.sup, "付-1").await.status, 303);
    // Both fit the budget when recorded; after the first is posted the second does not.
    let r = w.post_as(&w.sup, "付-2").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("超出项目专项资金预算"), "{}", r.body);
    assert_eq!(w.state_of("付-2").0, "pending");
}

#[actix_web::test]
async fn the_recorder_cannot_verify_their_own_entry() {
    let w = world("lg5").await;
    let both = w.app.staff("both.lg5", Role::Clerk, Scope::Village(w.v.id));
    w.app.with_conn(|c| {
        minyi::accounts::store::assign(c, both, Role::Supervisor, Scope::Village(w.v.id))
            .expect("assign")
    });
    let b = w.app.browser();
    b.login_staff("both.lg5").await;
    let r = b
        .post(
            &format!("{}/entries", w.fund_path()),
            &[
                ("kind", "allocation"),
                ("voucher", "拨-1"),
                ("date", "2026-03-01"),
                ("payee", "县财政局"),
                ("description", "第一批"),
                ("amount", "500"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let own = w.post_as(&b, "拨-1").await;
    assert_eq!(own.status, 403);
    assert!(own.body.contains("另一位监委会成员"), "{}", own.body);
    assert_eq!(w.state_of("拨-1").0, "pending");
    assert!(
        w.app
            .audit_actions()
            .iter()
            .any(|(a, _, o)| a == "ledger.post" && o == "denied")
    );
    assert_eq!(w.post_as(&w.sup, "拨-1").await.status, 303);
}

#[actix_web::test]
async fn a_record_form_acts_once() {
    let w = world("lg10").await;
    let form = w.clerk.get(&w.fund_path()).await;
    let once = form.field("once").expect("once token");
    let fields = [
        ("kind", "allocation"),
        ("voucher", "拨-1"),
        ("date", "2026-03-01"),
        ("payee", "县财政局"),
        ("description", "第一批"),
        ("amount", "500"),
        ("once", once.as_str()),
    ];
    let path = format!("{}/entries", w.fund_path());
    let first = w.clerk.post(&path, &fields).await;
    let second = w.clerk.post(&path, &fields).await;
    assert_eq!(first.status, 303);
    assert_eq!(second.status, 303);
    assert_eq!(first.location, second.location);
    let n: i64 = w.app.with_conn(|c| {
        use minyi::db::schema::ledger_entries::dsl as e;
        e::ledger_entries.count().get_result(c).expect("count")
    });
    assert_eq!(n, 1);
}

#[actix_web::test]
async fn a_reversal_undoes_an_entry_once_and_the_statement_is_drafted() {
    let w = world("lg11").await;
    w.posted("allocation", "拨-1", "1000", None).await;
    w.posted("expense", "付-1", "200", Some(w.project)).await;
    let target = w.entry("付-1").to_string();
    let path = format!("{}/entries", w.fund_path());
    let reversal = |voucher: &'static str| {
        let target = target.clone();
        let path = path.clone();
        let clerk = &w.clerk;
        async move {
            clerk
                .post(
                    &path,
                    &[
                        ("kind", "reversal"),
                        ("voucher", voucher),
                        ("date", "2026-03-02"),
                        ("payee", "某建材店"),
                        ("description", "退货"),
                        ("reverses", target.as_str()),
                    ],
                )
                .await
        }
    };
    assert_eq!(reversal("冲-1").await.status, 303);
    assert_eq!(reversal("冲-2").await.status, 422);
    assert_eq!(w.post_as(&w.sup, "冲-1").await.status, 303);
    let page = w
        .app
        .browser()
        .get(&format!("/v/lg11/funds/{}", w.fund))
        .await;
    assert!(page.body.contains("¥1,000.00"));
    // The reversal names the seq of the entry it undoes (2), as its canonical form does.
    assert!(page.body.contains("冲销序号 2"), "{}", page.body);
    let drafted = w
        .clerk
        .post(
            &format!("{}/statement", w.fund_path()),
            &[("month", "2026-03")],
        )
        .await;
    assert_eq!(drafted.status, 303, "{}", drafted.body);
    let body: String = w.app.with_conn(|c| {
        use minyi::db::schema::notices::dsl as n;
        n::notices
            .filter(n::kind.eq("fund_statement"))
            .select(n::body)
            .first(c)
            .expect("statement")
    });
    assert!(
        body.contains("壹仟元整") || body.contains("壹仟元"),
        "{body}"
    );
}
