//! What a project may spend, as the ledger asks it inside the transaction that records or
//! posts an expense: the project's status, its approved plan (period, total and the earmarked
//! fund's part) and what the notices gate says about the plan's notice right now. Reading it
//! with [`lock`] holds the project's row until the caller's transaction ends, so the project
//! cannot be suspended, re-planned or cancelled between the check and the write.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::states::{FundingSource, PlanState, ProjectStatus};
use crate::db::schema::{plan_funding as pf, project_plans as pp, projects as pr};
use crate::db::{DbConn, DbError};
use crate::money::Money;
use crate::notices::domain::Gate;

/// The subject under which a project's plan notices are published and gated (`notices.subject`).
pub fn plan_notice_subject(project_id: i64) -> String {
    format!("project:{project_id}")
}

/// The plan the council approved, as spending is measured against it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovedPlan {
    pub plan_id: i64,
    pub version: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub total: Money,
    /// The part of the total paid from the earmarked fund (专项资金).
    pub earmarked: Money,
}

/// A project as the ledger's scope rules see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpendingScope {
    pub project_id: i64,
    pub village_id: i64,
    pub title: String,
    pub status: ProjectStatus,
    /// The latest approved plan; `None` before the council approved one.
    pub plan: Option<ApprovedPlan>,
    /// The notices gate for [`plan_notice_subject`], asked at `now`.
    pub gate: Gate,
}

/// Reads and locks a project of `village_id` (PostgreSQL `FOR UPDATE`; SQLite's write
/// transaction already holds the database) with its approved plan and the gate at `now`.
/// `None` for an unknown id or another village's project.
pub fn lock(
    conn: &mut DbConn,
    village_id: i64,
    project_id: i64,
    now: NaiveDateTime,
) -> Result<Option<SpendingScope>, DbError> {
    let query = pr::table
        .filter(pr::id.eq(project_id).and(pr::village_id.eq(village_id)))
        .select((pr::id, pr::title, pr::status));
    let row: Option<(i64, String, String)> = match conn {
        DbConn::Pg(c) => query.for_update().first(c).optional()?,
        DbConn::Sqlite(c) => query.first(c).optional()?,
    };
    let Some((id, title, status)) = row else {
        return Ok(None);
    };
    let status = ProjectStatus::parse(&status)
        .ok_or_else(|| DbError::unknown("projects", id, "status", &status))?;
    let plan = approved_plans(conn, &[id])?.pop();
    let gate = crate::notices::store::gate(conn, village_id, &plan_notice_subject(id), now)?;
    Ok(Some(SpendingScope {
        project_id: id,
        village_id,
        title,
        status,
        plan,
        gate,
    }))
}

/// The latest approved plan of each of `projects` (one query each for plans and funding, for
/// any number of projects), in the order of `projects`; projects without one are left out.
pub fn approved_plans(conn: &mut DbConn, projects: &[i64]) -> Result<Vec<ApprovedPlan>, DbError> {
    type Row = (i64, i64, i32, NaiveDate, NaiveDate, i64);
    let rows: Vec<Row> = pp::table
        .filter(
            pp::project_id
                .eq_any(projects)
                .and(pp::state.eq(PlanState::Approved.as_str())),
        )
        .select((
            pp::id,
            pp::project_id,
            pp::version,
            pp::starts_on,
            pp::ends_on,
            pp::total_fen,
        ))
        .order((pp::project_id, pp::version.desc()))
        .load(conn)?;
    let plan_ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let earmarked: Vec<(i64, i64)> = pf::table
        .filter(
            pf::plan_id
                .eq_any(&plan_ids)
                .and(pf::source.eq(FundingSource::Earmarked.as_str())),
        )
        .select((pf::plan_id, pf::amount_fen))
        .load(conn)?;
    let mut plans = Vec::new();
    for project in projects {
        // Rows are newest version first within a project.
        if let Some(r) = rows.iter().find(|r| r.1 == *project) {
            plans.push(ApprovedPlan {
                plan_id: r.0,
                version: r.2,
                starts_on: r.3,
                ends_on: r.4,
                total: Money::from_fen(r.5),
                earmarked: Money::from_fen(
                    earmarked.iter().find(|e| e.0 == r.0).map_or(0, |e| e.1),
                ),
            });
        }
    }
    Ok(plans)
}
