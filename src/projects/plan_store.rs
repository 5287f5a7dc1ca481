//! Plan versions in the database with their budget lines, funding and participants.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::domain::plan::{Line, ValidPlan};
use super::states::{FundingSource, ParticipantRole, PlanMethod, PlanState, ProjectStatus};
use crate::db::schema::{
    plan_budget_lines as bl, plan_funding as pf, plan_participants as ppt, project_plans as pp,
    projects as pr,
};
use crate::db::{DbConn, DbError};
use crate::money::Money;

/// One plan version with everything it says.
#[derive(Clone, Debug)]
pub struct Plan {
    pub id: i64,
    pub project_id: i64,
    pub version: i32,
    pub method: PlanMethod,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub contractor_selection: Option<String>,
    pub total: Money,
    pub state: PlanState,
    pub motion_id: Option<i64>,
    pub notice_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub lines: Vec<Line>,
    pub funding: Vec<(FundingSource, Money)>,
    pub participants: Vec<(ParticipantRole, String)>,
}

type PlanRow = (
    i64,
    i64,
    i32,
    String,
    NaiveDate,
    NaiveDate,
    Option<String>,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

/// Every plan version of `projects`, oldest first, with lines, funding and participants (four
/// queries).
pub fn plans(conn: &mut DbConn, projects: &[i64]) -> Result<Vec<Plan>, DbError> {
    let rows: Vec<PlanRow> = pp::table
        .filter(pp::project_id.eq_any(projects))
        .select((
            pp::id,
            pp::project_id,
            pp::version,
            pp::method,
            pp::starts_on,
            pp::ends_on,
            pp::contractor_selection,
            pp::total_fen,
            pp::state,
            pp::motion_id,
            pp::notice_id,
            pp::created_at,
            pp::decided_at,
        ))
        .order((pp::project_id, pp::version))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let lines: Vec<(i64, String, i64, String, i64, i64)> = bl::table
        .filter(bl::plan_id.eq_any(&ids))
        .select((
            bl::plan_id,
            bl::item,
            bl::quantity_hundredths,
            bl::unit,
            bl::unit_price_fen,
            bl::amount_fen,
        ))
        .order((bl::plan_id, bl::position))
        .load(conn)?;
    let funding: Vec<(i64, String, i64)> = pf::table
        .filter(pf::plan_id.eq_any(&ids))
        .select((pf::plan_id, pf::source, pf::amount_fen))
        .load(conn)?;
    let people: Vec<(i64, String, String)> = ppt::table
        .filter(ppt::plan_id.eq_any(&ids))
        .select((ppt::plan_id, ppt::role, ppt::name))
        .order((ppt::plan_id, ppt::position))
        .load(conn)?;
    let mut out = Vec::new();
    for r in rows {
        let method = PlanMethod::parse(&r.3)
            .ok_or_else(|| DbError::unknown("project_plans", r.0, "method", &r.3))?;
        let state = PlanState::parse(&r.8)
            .ok_or_else(|| DbError::unknown("project_plans", r.0, "state", &r.8))?;
        let mut f = Vec::new();
        for (_, s, amount) in funding.iter().filter(|x| x.0 == r.0) {
            let source = FundingSource::parse(s)
                .ok_or_else(|| DbError::unknown("plan_funding", r.0, "source", s))?;
            f.push((source, Money::from_fen(*amount)));
        }
        f.sort_by_key(|(s, _)| FundingSource::ALL.iter().position(|x| x == s));
        let mut ps = Vec::new();
        for (_, role, name) in people.iter().filter(|x| x.0 == r.0) {
            let role = ParticipantRole::parse(role)
                .ok_or_else(|| DbError::unknown("plan_participants", r.0, "role", role))?;
            ps.push((role, name.clone()));
        }
        out.push(Plan {
            id: r.0,
            project_id: r.1,
            version: r.2,
            method,
            starts_on: r.4,
            ends_on: r.5,
            contractor_selection: r.6,
            total: Money::from_fen(r.7),
            state,
            motion_id: r.9,
            notice_id: r.10,
            created_at: r.11,
            decided_at: r.12,
            lines: lines
                .iter()
                .filter(|l| l.0 == r.0)
                .map(|l| Line {
                    item: l.1.clone(),
                    quantity_hundredths: l.2,
                    unit: l.3.clone(),
                    unit_price: Money::from_fen(l.4),
                    amount: Money::from_fen(l.5),
                })
                .collect(),
            funding: f,
            participants: ps,
        });
    }
    Ok(out)
}

/// Stores a new draft plan version with its lines, funding and participants.
pub fn insert_plan(
    conn: &mut DbConn,
    project_id: i64,
    plan: &ValidPlan,
    staff: i64,
) -> Result<(i64, i32), DbError> {
    let version: Option<i32> = pp::table
        .filter(pp::project_id.eq(project_id))
        .select(diesel::dsl::max(pp::version))
        .first(conn)?;
    let version = version.unwrap_or(0) + 1;
    let id: i64 = diesel::insert_into(pp::table)
        .values((
            pp::project_id.eq(project_id),
            pp::version.eq(version),
            pp::method.eq(plan.method.as_str()),
            pp::starts_on.eq(plan.starts_on),
            pp::ends_on.eq(plan.ends_on),
            pp::contractor_selection.eq(plan.contractor_selection.as_deref()),
            pp::total_fen.eq(plan.total.fen()),
            pp::state.eq(PlanState::Draft.as_str()),
            pp::created_by.eq(staff),
            pp::created_at.eq(crate::db::now()),
        ))
        .returning(pp::id)
        .get_result(conn)?;
    for (i, l) in plan.lines.iter().enumerate() {
        diesel::insert_into(bl::table)
            .values((
                bl::plan_id.eq(id),
                bl::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                bl::item.eq(&l.item),
                bl::quantity_hundredths.eq(l.quantity_hundredths),
                bl::unit.eq(&l.unit),
                bl::unit_price_fen.eq(l.unit_price.fen()),
                bl::amount_fen.eq(l.amount.fen()),
            ))
            .execute(conn)?;
    }
    for (source, amount) in &plan.funding {
        diesel::insert_into(pf::table)
            .values((
                pf::plan_id.eq(id),
                pf::source.eq(source.as_str()),
                pf::amount_fen.eq(amount.fen()),
            ))
            .execute(conn)?;
    }
    for (i, (role, name)) in plan.participants.iter().enumerate() {
        diesel::insert_into(ppt::table)
            .values((
                ppt::plan_id.eq(id),
                ppt::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                ppt::role.eq(role.as_str()),
                ppt::name.eq(name),
            ))
            .execute(conn)?;
    }
    Ok((id, version))
}

/// Moves plans of `project_id` in one of `from` states to `to`.
pub fn move_plans(
    conn: &mut DbConn,
    project_id: i64,
    from: &[PlanState],
    to: PlanState,
) -> Result<usize, DbError> {
    let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    Ok(
        diesel::update(pp::table.filter(pp::project_id.eq(project_id).and(pp::state.eq_any(from))))
            .set(pp::state.eq(to.as_str()))
            .execute(conn)?,
    )
}

/// Puts a draft plan to the vote of `motion`; false when it is no longer a draft.
pub fn mark_voting(conn: &mut DbConn, plan: i64, motion: i64) -> Result<bool, DbError> {
    Ok(diesel::update(
        pp::table.filter(pp::id.eq(plan).and(pp::state.eq(PlanState::Draft.as_str()))),
    )
    .set((
        pp::state.eq(PlanState::Voting.as_str()),
        pp::motion_id.eq(motion),
    ))
    .execute(conn)?
        == 1)
}

/// The plan put to `motion`'s vote: (plan id, project id, village id).
pub fn plan_of_motion(conn: &mut DbConn, motion: i64) -> Result<Option<(i64, i64, i64)>, DbError> {
    Ok(pp::table
        .inner_join(pr::table)
        .filter(pp::motion_id.eq(motion))
        .select((pp::id, pp::project_id, pr::village_id))
        .first(conn)
        .optional()?)
}

/// Records the council's decision on a voting plan.
pub fn decide_plan(conn: &mut DbConn, plan: i64, to: PlanState) -> Result<bool, DbError> {
    Ok(diesel::update(
        pp::table.filter(
            pp::id
                .eq(plan)
                .and(pp::state.eq(PlanState::Voting.as_str())),
        ),
    )
    .set((
        pp::state.eq(to.as_str()),
        pp::decided_at.eq(crate::db::now()),
    ))
    .execute(conn)?
        == 1)
}

pub fn set_plan_notice(conn: &mut DbConn, plan: i64, notice: i64) -> Result<(), DbError> {
    diesel::update(pp::table.filter(pp::id.eq(plan)))
        .set(pp::notice_id.eq(notice))
        .execute(conn)?;
    Ok(())
}

/// Draft plans of a village's projects waiting for a vote: (plan id, project title, version).
pub fn drafts_of_village(
    conn: &mut DbConn,
    village_id: i64,
) -> Result<Vec<(i64, String, i32)>, DbError> {
    Ok(pp::table
        .inner_join(pr::table)
        .filter(
            pr::village_id
                .eq(village_id)
                .and(pp::state.eq(PlanState::Draft.as_str()))
                .and(pr::status.eq(ProjectStatus::PlanDrafted.as_str())),
        )
        .select((pp::id, pr::title, pp::version))
        .order(pp::id)
        .load(conn)?)
}

/// The project and village of a plan: (project id, village id).
pub fn plan_village(conn: &mut DbConn, plan: i64) -> Result<Option<(i64, i64)>, DbError> {
    Ok(pp::table
        .inner_join(pr::table)
        .filter(pp::id.eq(plan))
        .select((pp::project_id, pr::village_id))
        .first(conn)
        .optional()?)
}
