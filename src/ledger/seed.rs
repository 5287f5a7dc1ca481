//! The demo village's ledger: a year's fund with two tranches, several dozen expenses on the
//! demo projects that cleared their plan notice (seeded before by `projects::demo` through the
//! council and projects commands), each recorded by the clerk and posted by the supervisor
//! through the real commands, one pending and one rejected expense, a reversal, and the
//! published statement of a month.

use std::io::Write;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::commands::{self, Outcome, Staff};
use super::domain::form::FundInput;
use super::domain::{EntryInput, EntryKind, HashAlgorithm};
use crate::db::DbConn;
use crate::db::schema::staff as st;
use crate::money::Money;
use crate::villages::store::find_village;

fn staff_id(conn: &mut DbConn, username: &str) -> anyhow::Result<i64> {
    Ok(st::table
        .filter(st::username.eq(username))
        .select(st::id)
        .first(conn)?)
}

fn done(outcome: Outcome) -> anyhow::Result<String> {
    match outcome {
        Outcome::Done(path) => Ok(path),
        other => anyhow::bail!("demo ledger: {other:?}"),
    }
}

fn id_of(path: &str) -> anyhow::Result<i64> {
    let tail = path.rsplit(['/', '-']).next().unwrap_or_default();
    Ok(tail.parse()?)
}

/// Seeds the ledger of the village `code`, whose `clerk.{code}` records and `supervisor.{code}`
/// posts. One transaction.
pub fn seed(
    conn: &mut DbConn,
    settings: &crate::config::Settings,
    code: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let village = find_village(conn, code)?.ok_or_else(|| anyhow::anyhow!("no village {code}"))?;
    let clerk_id = staff_id(conn, &format!("clerk.{code}"))?;
    let supervisor_id = staff_id(conn, &format!("supervisor.{code}"))?;
    let clerk = Staff {
        staff_id: clerk_id,
        village: village.clone(),
        address: "demo".into(),
    };
    let supervisor = Staff {
        staff_id: supervisor_id,
        ..clerk.clone()
    };
    let year = super::view::today().year();
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
    let url_base = settings.absolute(&format!("/v/{code}/funds/"));
    crate::db::in_transaction(conn, |conn| -> anyhow::Result<()> {
        // The demo projects that may spend: cleared, in progress, completed or accepted, with
        // their approved plan (earmarked budget and period).
        let spendable: Vec<i64> = crate::projects::store::list(conn, village.id)?
            .into_iter()
            .filter(|p| {
                use crate::projects::states::ProjectStatus as S;
                matches!(
                    p.status,
                    S::Cleared | S::InProgress | S::Completed | S::Accepted
                )
            })
            .map(|p| p.id)
            .collect();
        let plans = crate::projects::scope::approved_plans(conn, &spendable)?;
        anyhow::ensure!(!plans.is_empty(), "demo ledger: no project may spend");
        let projects: Vec<(i64, i64, NaiveDate)> = spendable
            .iter()
            .zip(&plans)
            .map(|(id, plan)| (*id, plan.earmarked.fen(), plan.starts_on))
            .collect();
        let fund = id_of(&done(commands::create_fund(
            conn,
            &clerk,
            &FundInput {
                year,
                name: format!("{year}年村级公共服务和社会管理专项资金"),
                source: "县财政局（村级公共服务和社会管理专项资金）".into(),
                allocation: Money::from_fen(8_000_000),
                algorithm: HashAlgorithm::Sha256,
            },
            "",
        )?)?)?;
        let mut n = 0;
        let mut entry = |conn: &mut DbConn, input: EntryInput, post: bool| -> anyhow::Result<i64> {
            n += 1;
            let path = done(commands::record(conn, &clerk, fund, &input, "")?)?;
            let id = id_of(&path)?;
            if post {
                done(commands::post(conn, &supervisor, fund, id)?)?;
            }
            Ok(id)
        };
        let input =
            |kind, voucher: String, date, payee: &str, what: &str, fen, project| EntryInput {
                kind,
                voucher,
                date,
                payee: payee.into(),
                description: what.into(),
                amount: Money::from_fen(fen),
                project_id: project,
                reverses_id: None,
            };
        for (i, (m, fen)) in [(3, 5_000_000), (9, 3_000_000)].into_iter().enumerate() {
            let what = format!("第{}批专项资金到位", i + 1);
            entry(
                conn,
                input(
                    EntryKind::Allocation,
                    format!("拨-{}", i + 1),
                    day(m, 10),
                    "县财政局",
                    &what,
                    fen,
                    None,
                ),
                true,
            )?;
        }
        let payees = ["建材供应站", "村民施工队", "电器安装公司", "运输服务部"];
        let items = ["水泥、砂石", "人工费", "灯具及安装", "运费"];
        let mut last_expense = 0;
        let count = projects.len();
        let per_project = 36 / count as u32;
        let yesterday = super::view::today() - chrono::TimeDelta::days(1);
        for k in 0..36_u32 {
            let (project, budget, starts_on) = projects[k as usize % count];
            // Three quarters of each project's earmarked budget, spread over its expenses, dated
            // from its plan's start day by day (never after yesterday).
            let fen = budget * 3 / 4 / i64::from(per_project.max(1)) + i64::from(k % 5) * 100;
            let date = (starts_on + chrono::TimeDelta::days(i64::from(k) * 3 / 2)).min(yesterday);
            let id = entry(
                conn,
                input(
                    EntryKind::Expense,
                    format!("付-{:03}", k + 1),
                    date,
                    payees[(k % 4) as usize],
                    items[(k % 4) as usize],
                    fen,
                    Some(project),
                ),
                true,
            )?;
            last_expense = id;
        }
        // A reversal of the last expense (goods returned), posted.
        let reversal = EntryInput {
            reverses_id: Some(last_expense),
            ..input(
                EntryKind::Reversal,
                "冲-001".into(),
                yesterday,
                "运输服务部",
                "退回多付运费",
                0,
                None,
            )
        };
        entry(conn, reversal, true)?;
        // One rejected and one pending expense.
        let rejected = entry(
            conn,
            input(
                EntryKind::Expense,
                "付-901".into(),
                yesterday,
                "建材供应站",
                "发票抬头不符",
                25_000,
                Some(projects[0].0),
            ),
            false,
        )?;
        done(commands::reject(
            conn,
            &supervisor,
            fund,
            rejected,
            "发票抬头不是本村，请补正后重新登记",
        )?)?;
        entry(
            conn,
            input(
                EntryKind::Expense,
                "付-902".into(),
                yesterday,
                "电器安装公司",
                "路灯维修配件",
                18_000,
                Some(projects[count - 1].0),
            ),
            false,
        )?;
        // The statement of a month, published.
        let url = format!("{url_base}{fund}");
        let notice = id_of(&done(super::statement::draft(
            conn,
            &clerk,
            fund,
            (year, 10),
            &url,
            "",
        )?)?)?;
        crate::notices::store::publish(conn, notice, crate::db::now())?;
        writeln!(
            out,
            "minyi demo: ledger of {code}: fund {fund}, {n} entries, statement notice {notice}"
        )?;
        Ok(())
    })
}
