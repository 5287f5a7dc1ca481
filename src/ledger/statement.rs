//! The monthly fund statement (村务公开 of finances, 村民委员会组织法 art. 30): a notice of kind
//! `FundStatement` drafted by the clerk on demand for a month, with the month's allocations and
//! expenses, the balance at its end in figures and in 金额大写, and the chain head at drafting.
//! The clerk publishes it through the notices pages like any other notice.

use chrono::{Datelike, NaiveDate};

use super::commands::{Outcome, Staff};
use super::domain;
use super::store;
use crate::audit::{self, Action, Actor, Event};
use crate::db::DbConn;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::money::Money;
use crate::notices::domain::Kind;
use crate::notices::store::{Draft, create_draft};
use crate::web::once::{self, Claim};

/// A month's figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthFigures {
    pub allocated: Money,
    pub spent: Money,
    pub balance_at_end: Money,
    pub entries: usize,
}

/// The figures of `year`-`month` from posted movements with their dates.
pub fn month_figures(
    moves: &[(domain::Movement, NaiveDate)],
    year: i32,
    month: u32,
) -> Option<MonthFigures> {
    let in_month: Vec<_> = moves
        .iter()
        .filter(|(_, d)| d.year() == year && d.month() == month)
        .map(|(m, _)| *m)
        .collect();
    let until: Vec<_> = moves
        .iter()
        .filter(|(_, d)| (d.year(), d.month()) <= (year, month))
        .map(|(m, _)| *m)
        .collect();
    let month_totals = domain::totals(&in_month)?;
    Some(MonthFigures {
        allocated: month_totals.allocated,
        spent: month_totals.spent,
        balance_at_end: domain::totals(&until)?.balance,
        entries: in_month.len(),
    })
}

/// The statement's text (Simplified Chinese, the language of the notice board).
pub fn statement_text(
    fund_name: &str,
    year: i32,
    month: u32,
    f: &MonthFigures,
    head: &str,
    url: &str,
) -> (String, String) {
    let l = Locale::ZhCn;
    let ym = format!("{year}年{month}月");
    let title = l.t_with(
        "ledger.statement.title",
        &[("fund", fund_name), ("month", &ym)],
    );
    let body = l.t_with(
        "ledger.statement.body",
        &[
            ("month", &ym),
            ("entries", &f.entries.to_string()),
            ("allocated", &f.allocated.to_string()),
            ("allocated_cap", &f.allocated.capital()),
            ("spent", &f.spent.to_string()),
            ("spent_cap", &f.spent.capital()),
            ("balance", &f.balance_at_end.to_string()),
            ("balance_cap", &f.balance_at_end.capital()),
            ("head", head),
            ("url", url),
        ],
    );
    // The catalog is one line per key: `\n` in the text stands for a line break.
    (title, body.replace("\\n", "\n"))
}

/// Drafts the statement of a month as a notice; returns the notice's page. A replay lands on it.
pub fn draft(
    conn: &mut DbConn,
    by: &Staff,
    fund_id: i64,
    (year, month): (i32, u32),
    public_url: &str,
    token: &str,
) -> Result<Outcome, AppError> {
    let fund = store::lock_fund(conn, by.village.id, fund_id)?.ok_or(AppError::NotFound)?;
    if let Claim::Repeat(path) = once::claim(conn, "ledger:statement", token)? {
        return Ok(Outcome::Done(if path.is_empty() {
            by.fund_path(fund.id)
        } else {
            path
        }));
    }
    let moves = store::movements(conn, fund.id)?;
    let figures = month_figures(&moves, year, month)
        .ok_or(AppError::Unprocessable("ledger.refusal.overflow"))?;
    let (_, head) = store::head(conn, fund.id)?;
    let (title, body) = statement_text(&fund.name, year, month, &figures, &head, public_url);
    let subject = statement_subject(fund.id, year, month);
    let id = create_draft(
        conn,
        &Draft {
            village_id: by.village.id,
            kind: Kind::FundStatement,
            title: &title,
            body: &body,
            subject: Some(&subject),
            supersedes: None,
            created_by: by.staff_id,
        },
    )?;
    audit::record(
        conn,
        Event::ok(
            Actor::Staff(by.staff_id),
            Action::LedgerStatement,
            format!("notice:{id}"),
        )
        .in_township(by.village.township_id)
        .from_address(&by.address)
        .detail(format!(
            "fund={} month={year}-{month:02} head={head}",
            fund.id
        )),
    )?;
    let path = format!("/staff/v/{}/notices/{id}", by.village.code);
    once::finish(conn, token, &path)?;
    Ok(Outcome::Done(path))
}

/// Months a fund's entries fall in is not needed: any month of the fund's year may be drafted.
pub fn valid_month(year: i32, month: u32) -> bool {
    (1..=12).contains(&month) && NaiveDate::from_ymd_opt(year, month, 1).is_some()
}

/// The notice subject of a fund's statement of one month: `fund:{id}:{YYYY-MM}`, so each month
/// has one statement and the month-end job can tell whether it was drafted.
pub fn statement_subject(fund_id: i64, year: i32, month: u32) -> String {
    format!("fund:{fund_id}:{year}-{month:02}")
}

/// The month that ended last before `today`: (year, month).
pub fn month_before(today: NaiveDate) -> (i32, u32) {
    if today.month() == 1 {
        (today.year() - 1, 12)
    } else {
        (today.year(), today.month() - 1)
    }
}

/// Month-end statements (村务公开: finances monthly): for every fund of the year of the month
/// that has just ended, drafts that month's statement as a notice for the clerk to publish,
/// unless one exists (draft or published). Drafted in the name of the clerk who created the
/// fund. Run by the background job on every pass; the next pass finds the draft and does
/// nothing. `fund_url` gives the disclosure page's address at the configured public URL.
pub fn draft_month_end(
    conn: &mut DbConn,
    today: NaiveDate,
    fund_url: &dyn Fn(&str, i64) -> String,
) -> Result<usize, AppError> {
    use crate::db::schema::{notices as n, villages as v};
    use diesel::prelude::*;
    let (year, month) = month_before(today);
    let mut drafted = 0;
    for fund in store::all_funds(conn)?
        .into_iter()
        .filter(|f| f.year == year)
    {
        let subject = statement_subject(fund.id, year, month);
        let exists: i64 = n::table
            .filter(n::subject.eq(&subject))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            continue;
        }
        let village: Option<(String, String, i64)> = v::table
            .filter(v::id.eq(fund.village_id))
            .select((v::code, v::name, v::township_id))
            .first(conn)
            .optional()?;
        let Some((code, name, township_id)) = village else {
            continue;
        };
        let clerk = Staff {
            staff_id: fund.created_by,
            village: crate::villages::store::VillageRef {
                id: fund.village_id,
                township_id,
                code: code.clone(),
                name,
            },
            address: "month-end".into(),
        };
        crate::db::in_transaction(conn, |conn| {
            draft(
                conn,
                &clerk,
                fund.id,
                (year, month),
                &fund_url(&code, fund.id),
                "",
            )
        })?;
        drafted += 1;
    }
    Ok(drafted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::domain::{EntryKind, Movement};

    #[test]
    fn a_month_is_its_own_movements_and_the_balance_up_to_its_end() {
        let d = |m| NaiveDate::from_ymd_opt(2026, m, 5).unwrap();
        let mv = |kind, fen| Movement {
            kind,
            amount: Money::from_fen(fen),
            project_id: Some(1),
            reversed: None,
        };
        let moves = [
            (mv(EntryKind::Allocation, 10_000), d(1)),
            (mv(EntryKind::Expense, 1_000), d(2)),
            (mv(EntryKind::Expense, 2_000), d(3)),
        ];
        let f = month_figures(&moves, 2026, 2).unwrap();
        assert_eq!(f.allocated, Money::ZERO);
        assert_eq!(f.spent, Money::from_fen(1_000));
        assert_eq!(f.balance_at_end, Money::from_fen(9_000));
        assert_eq!(f.entries, 1);
        assert!(valid_month(2026, 12));
        assert!(!valid_month(2026, 13));
    }
}
