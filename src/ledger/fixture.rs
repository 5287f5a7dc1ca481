//! A cleared project made by direct inserts, for the ledger's tests (which need many projects in
//! chosen states quickly; the demo builds its projects through the council and projects
//! commands): a closed council meeting with the passed motion, the approved candidate, the
//! project in the status asked, its approved plan (version 1) with the earmarked funding, and
//! the plan's notice published long enough ago that its period is over.

use chrono::{NaiveDate, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::{
    candidates as c, meetings as mt, motions as mo, plan_funding as pf, project_plans as pp,
    projects as pr,
};
use crate::db::{DbConn, DbError};
use crate::money::Money;
use crate::notices::domain::Kind;
use crate::notices::store::{Draft, create_published};
use crate::projects::scope::plan_notice_subject;

/// What the project is.
pub struct ClearedProject<'a> {
    pub village_id: i64,
    pub staff_id: i64,
    pub title: &'a str,
    pub earmarked: Money,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The status to give it (`cleared` unless a test wants another).
    pub status: &'a str,
    /// Days ago the plan's notice was published (`None`: no notice).
    pub notice_days_ago: Option<i64>,
}

/// Inserts the project and everything it needs; returns the project's id.
pub fn cleared_project(conn: &mut DbConn, p: &ClearedProject<'_>) -> Result<i64, DbError> {
    let now = crate::db::now();
    let meeting: i64 = diesel::insert_into(mt::table)
        .values((
            mt::village_id.eq(p.village_id),
            mt::title.eq("村民议事会会议"),
            mt::place.eq("村委会"),
            mt::starts_at.eq(now - TimeDelta::days(60)),
            mt::state.eq("closed"),
            mt::quorum_numerator.eq(2),
            mt::quorum_denominator.eq(3),
            mt::convened_by.eq(p.staff_id),
            mt::created_at.eq(now - TimeDelta::days(61)),
            mt::agenda.eq(""),
        ))
        .returning(mt::id)
        .get_result(conn)?;
    let candidate: i64 = diesel::insert_into(c::table)
        .values((
            c::village_id.eq(p.village_id),
            c::title.eq(p.title),
            c::description.eq(p.title),
            c::category.eq("infrastructure"),
            c::temporary.eq(false),
            c::state.eq("approved"),
            c::created_by.eq(p.staff_id),
            c::created_at.eq(now - TimeDelta::days(62)),
        ))
        .returning(c::id)
        .get_result(conn)?;
    let motion: i64 = diesel::insert_into(mo::table)
        .values((
            mo::meeting_id.eq(meeting),
            mo::kind.eq("approve_candidate"),
            mo::text.eq(p.title),
            mo::rule_base.eq("all_members"),
            mo::rule_numerator.eq(1),
            mo::rule_denominator.eq(2),
            mo::rule_strict.eq(true),
            mo::rule_min_yes.eq(1),
            mo::state.eq("closed"),
            mo::passed.eq(Some(true)),
            mo::closed_at.eq(Some(now - TimeDelta::days(60))),
            mo::created_at.eq(now - TimeDelta::days(60)),
            mo::candidate_id.eq(Some(candidate)),
        ))
        .returning(mo::id)
        .get_result(conn)?;
    let project: i64 = diesel::insert_into(pr::table)
        .values((
            pr::village_id.eq(p.village_id),
            pr::candidate_id.eq(candidate),
            pr::title.eq(p.title),
            pr::status.eq(p.status),
            pr::approved_by_motion.eq(motion),
            pr::created_at.eq(now - TimeDelta::days(60)),
            pr::category.eq("infrastructure"),
            pr::status_changed_at.eq(now - TimeDelta::days(20)),
        ))
        .returning(pr::id)
        .get_result(conn)?;
    let plan: i64 = diesel::insert_into(pp::table)
        .values((
            pp::project_id.eq(project),
            pp::version.eq(1),
            pp::method.eq("self_built"),
            pp::starts_on.eq(p.starts_on),
            pp::ends_on.eq(p.ends_on),
            pp::total_fen.eq(p.earmarked.fen()),
            // Drafted first: a plan's funding is written while it is a draft (the database
            // freezes it once the plan leaves its draft), then it is marked approved.
            pp::state.eq("draft"),
            pp::created_by.eq(p.staff_id),
            pp::created_at.eq(now - TimeDelta::days(50)),
            pp::decided_at.eq(Some(now - TimeDelta::days(45))),
        ))
        .returning(pp::id)
        .get_result(conn)?;
    diesel::insert_into(pf::table)
        .values((
            pf::plan_id.eq(plan),
            pf::source.eq("earmarked"),
            pf::amount_fen.eq(p.earmarked.fen()),
        ))
        .execute(conn)?;
    diesel::update(pp::table.filter(pp::id.eq(plan)))
        .set(pp::state.eq("approved"))
        .execute(conn)?;
    if let Some(days) = p.notice_days_ago {
        let subject = plan_notice_subject(project);
        let title = format!("{}实施方案公示", p.title);
        create_published(
            conn,
            &Draft {
                village_id: p.village_id,
                kind: Kind::Plan,
                title: &title,
                body: "实施方案见附件。",
                subject: Some(&subject),
                supersedes: None,
                created_by: p.staff_id,
            },
            now - TimeDelta::days(days),
        )?;
    }
    Ok(project)
}
