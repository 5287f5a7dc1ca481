//! What every ledger page shows of a fund, read in one go: the totals of posted entries, per
//! project its approved earmarked budget, spending and what remains, spending by month, and the
//! chain head. Used by the clerk's, the public and the auditor's pages.

use chrono::Datelike;
use diesel::prelude::*;

use super::domain::{self, Totals};
use super::store::{self, Fund};
use crate::db::schema::projects as pr;
use crate::db::{DbConn, DbError};
use crate::money::Money;
use crate::projects::scope;

/// One project's line.
#[derive(Clone, Debug)]
pub struct ProjectLine {
    pub project_id: i64,
    pub title: String,
    /// The earmarked part of its approved plan; zero without one.
    pub budget: Money,
    pub spent: Money,
    pub remaining: Money,
}

/// A bar of a chart: label, amount, width in per mille of the largest bar.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub amount: Money,
    pub permille: i64,
}

#[derive(Clone, Debug)]
pub struct Summary {
    pub totals: Totals,
    pub projects: Vec<ProjectLine>,
    pub by_month: Vec<Bar>,
    pub by_project: Vec<Bar>,
    pub posted: i64,
    pub head_seq: i64,
    pub head: String,
}

/// The village's projects, id and title.
pub fn project_titles(conn: &mut DbConn, village_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    Ok(pr::table
        .filter(pr::village_id.eq(village_id))
        .select((pr::id, pr::title))
        .order(pr::id)
        .load(conn)?)
}

fn bars(items: Vec<(String, Money)>) -> Vec<Bar> {
    let max = items.iter().map(|(_, m)| m.fen()).max().unwrap_or(0).max(1);
    items
        .into_iter()
        .map(|(label, amount)| Bar {
            label,
            permille: i64::try_from(i128::from(amount.fen().max(0)) * 1000 / i128::from(max))
                .unwrap_or(1000),
            amount,
        })
        .collect()
}

pub fn summary(conn: &mut DbConn, fund: &Fund) -> Result<Summary, DbError> {
    let moves = store::movements(conn, fund.id)?;
    let plain: Vec<_> = moves.iter().map(|m| m.0).collect();
    let overflow = || DbError::unknown("funds", fund.id, "totals", "overflow");
    let totals = domain::totals(&plain).ok_or_else(overflow)?;
    let titles = project_titles(conn, fund.village_id)?;
    let mut projects = Vec::new();
    for (id, title) in titles {
        let spent = domain::project_spent(&plain, id).ok_or_else(overflow)?;
        let budget = scope::approved_plans(conn, &[id])?
            .pop()
            .map_or(Money::ZERO, |p| p.earmarked);
        if budget == Money::ZERO && spent == Money::ZERO {
            continue;
        }
        projects.push(ProjectLine {
            project_id: id,
            title,
            budget,
            spent,
            remaining: budget.checked_sub(spent).ok_or_else(overflow)?,
        });
    }
    let mut months = vec![Money::ZERO; 12];
    for (m, date) in &moves {
        if date.year() != fund.year {
            continue;
        }
        let one = domain::totals(&[*m]).ok_or_else(overflow)?;
        let slot = &mut months[date.month0() as usize];
        *slot = slot.checked_add(one.spent).ok_or_else(overflow)?;
    }
    let by_month = bars(
        months
            .into_iter()
            .enumerate()
            .map(|(i, m)| (format!("{}", i + 1), m))
            .collect(),
    );
    let by_project = bars(
        projects
            .iter()
            .map(|p| (p.title.clone(), p.spent))
            .collect(),
    );
    let (head_seq, head) = store::head(conn, fund.id)?;
    Ok(Summary {
        totals,
        projects,
        by_month,
        by_project,
        posted: i64::try_from(moves.len()).unwrap_or(i64::MAX),
        head_seq,
        head,
    })
}

/// Today's date in Beijing.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
}

/// A project's earmarked-fund spending for its own page (to be shown there once the projects
/// branch is merged): its posted expenses over every fund of the village, and their net total
/// (reversals of those expenses subtracted).
pub fn project_spending(
    conn: &mut DbConn,
    village_id: i64,
    project_id: i64,
) -> Result<(Money, Vec<store::Entry>), DbError> {
    let mut total = Money::ZERO;
    let mut entries = Vec::new();
    for fund in store::funds_of(conn, village_id)? {
        let moves: Vec<_> = store::movements(conn, fund.id)?
            .into_iter()
            .map(|m| m.0)
            .collect();
        let spent = domain::project_spent(&moves, project_id)
            .ok_or_else(|| DbError::unknown("funds", fund.id, "totals", "overflow"))?;
        total = total
            .checked_add(spent)
            .ok_or_else(|| DbError::unknown("funds", fund.id, "totals", "overflow"))?;
        entries.extend(
            store::entries_in(conn, fund.id, super::domain::EntryState::Posted)?
                .into_iter()
                .filter(|e| e.project_id == Some(project_id)),
        );
    }
    Ok((total, entries))
}
