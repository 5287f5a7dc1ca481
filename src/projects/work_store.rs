//! Progress updates, inspections (with the committee's response and the supervisor's close)
//! and acceptances in the database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::domain::work::{AcceptanceResult, InspectionResult};
use super::states::ParticipantRole;
use crate::db::schema::{
    acceptance_participants as ap, project_acceptances as pa, project_inspections as pi,
    project_progress as pg,
};
use crate::db::{DbConn, DbError};

/// A dated progress update.
#[derive(Clone, Debug, Queryable)]
pub struct Progress {
    pub id: i64,
    pub project_id: i64,
    pub reported_on: NaiveDate,
    pub percent: i32,
    pub body: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

pub fn progress(conn: &mut DbConn, project_id: i64) -> Result<Vec<Progress>, DbError> {
    Ok(pg::table
        .filter(pg::project_id.eq(project_id))
        .order((pg::reported_on, pg::id))
        .load(conn)?)
}

pub fn insert_progress(
    conn: &mut DbConn,
    project_id: i64,
    on: NaiveDate,
    percent: i32,
    body: &str,
    staff: i64,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(pg::table)
        .values((
            pg::project_id.eq(project_id),
            pg::reported_on.eq(on),
            pg::percent.eq(percent),
            pg::body.eq(body),
            pg::created_by.eq(staff),
            pg::created_at.eq(crate::db::now()),
        ))
        .returning(pg::id)
        .get_result(conn)?)
}

/// An inspection with the committee's response and the supervisor's close.
#[derive(Clone, Debug)]
pub struct Inspection {
    pub id: i64,
    pub project_id: i64,
    pub inspected_on: NaiveDate,
    pub place: String,
    pub findings: String,
    pub result: InspectionResult,
    pub follow_up: String,
    pub created_at: NaiveDateTime,
    pub response: Option<String>,
    pub responded_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

impl Inspection {
    pub fn is_open_problem(&self) -> bool {
        super::domain::work::problem_open(self.result, self.closed_at.is_some())
    }
}

type InspectionRow = (
    i64,
    i64,
    NaiveDate,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    Option<String>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

pub fn inspections(conn: &mut DbConn, project_id: i64) -> Result<Vec<Inspection>, DbError> {
    let rows: Vec<InspectionRow> = pi::table
        .filter(pi::project_id.eq(project_id))
        .select((
            pi::id,
            pi::project_id,
            pi::inspected_on,
            pi::place,
            pi::findings,
            pi::result,
            pi::follow_up,
            pi::created_at,
            pi::response,
            pi::responded_at,
            pi::closed_at,
        ))
        .order((pi::inspected_on, pi::id))
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            let result = InspectionResult::parse(&r.5)
                .ok_or_else(|| DbError::unknown("project_inspections", r.0, "result", &r.5))?;
            Ok(Inspection {
                id: r.0,
                project_id: r.1,
                inspected_on: r.2,
                place: r.3,
                findings: r.4,
                result,
                follow_up: r.6,
                created_at: r.7,
                response: r.8,
                responded_at: r.9,
                closed_at: r.10,
            })
        })
        .collect()
}

pub struct NewInspection<'a> {
    pub on: NaiveDate,
    pub place: &'a str,
    pub findings: &'a str,
    pub result: InspectionResult,
    pub follow_up: &'a str,
}

pub fn insert_inspection(
    conn: &mut DbConn,
    project_id: i64,
    i: &NewInspection<'_>,
    staff: i64,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(pi::table)
        .values((
            pi::project_id.eq(project_id),
            pi::inspected_on.eq(i.on),
            pi::place.eq(i.place),
            pi::findings.eq(i.findings),
            pi::result.eq(i.result.as_str()),
            pi::follow_up.eq(i.follow_up),
            pi::created_by.eq(staff),
            pi::created_at.eq(crate::db::now()),
        ))
        .returning(pi::id)
        .get_result(conn)?)
}

/// Writes the committee's response to an unanswered problem; false when there is none.
pub fn respond(
    conn: &mut DbConn,
    project_id: i64,
    id: i64,
    text: &str,
    staff: i64,
) -> Result<bool, DbError> {
    Ok(diesel::update(
        pi::table.filter(
            pi::id
                .eq(id)
                .and(pi::project_id.eq(project_id))
                .and(pi::result.eq(InspectionResult::Problem.as_str()))
                .and(pi::response.is_null()),
        ),
    )
    .set((
        pi::response.eq(text),
        pi::responded_by.eq(staff),
        pi::responded_at.eq(crate::db::now()),
    ))
    .execute(conn)?
        == 1)
}

/// Closes a responded problem; false when there is none to close.
pub fn close(conn: &mut DbConn, project_id: i64, id: i64, staff: i64) -> Result<bool, DbError> {
    Ok(diesel::update(
        pi::table.filter(
            pi::id
                .eq(id)
                .and(pi::project_id.eq(project_id))
                .and(pi::response.is_not_null())
                .and(pi::closed_at.is_null()),
        ),
    )
    .set((pi::closed_by.eq(staff), pi::closed_at.eq(crate::db::now())))
    .execute(conn)?
        == 1)
}

/// An acceptance with its participants.
#[derive(Clone, Debug)]
pub struct Acceptance {
    pub id: i64,
    pub accepted_on: NaiveDate,
    pub result: AcceptanceResult,
    pub reasons: String,
    pub notice_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub participants: Vec<(ParticipantRole, String)>,
}

pub fn acceptances(conn: &mut DbConn, project_id: i64) -> Result<Vec<Acceptance>, DbError> {
    type Row = (i64, NaiveDate, String, String, Option<i64>, NaiveDateTime);
    let rows: Vec<Row> = pa::table
        .filter(pa::project_id.eq(project_id))
        .select((
            pa::id,
            pa::accepted_on,
            pa::result,
            pa::reasons,
            pa::notice_id,
            pa::created_at,
        ))
        .order(pa::id)
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let people: Vec<(i64, String, String)> = ap::table
        .filter(ap::acceptance_id.eq_any(&ids))
        .select((ap::acceptance_id, ap::role, ap::name))
        .order((ap::acceptance_id, ap::position))
        .load(conn)?;
    rows.into_iter()
        .map(|r| {
            let result = AcceptanceResult::parse(&r.2)
                .ok_or_else(|| DbError::unknown("project_acceptances", r.0, "result", &r.2))?;
            let mut participants = Vec::new();
            for (_, role, name) in people.iter().filter(|p| p.0 == r.0) {
                let role = ParticipantRole::parse(role).ok_or_else(|| {
                    DbError::unknown("acceptance_participants", r.0, "role", role)
                })?;
                participants.push((role, name.clone()));
            }
            Ok(Acceptance {
                id: r.0,
                accepted_on: r.1,
                result,
                reasons: r.3,
                notice_id: r.4,
                created_at: r.5,
                participants,
            })
        })
        .collect()
}

pub fn insert_acceptance(
    conn: &mut DbConn,
    project_id: i64,
    on: NaiveDate,
    result: AcceptanceResult,
    reasons: &str,
    participants: &[(ParticipantRole, String)],
    staff: i64,
) -> Result<i64, DbError> {
    let id: i64 = diesel::insert_into(pa::table)
        .values((
            pa::project_id.eq(project_id),
            pa::accepted_on.eq(on),
            pa::result.eq(result.as_str()),
            pa::reasons.eq(reasons),
            pa::created_by.eq(staff),
            pa::created_at.eq(crate::db::now()),
        ))
        .returning(pa::id)
        .get_result(conn)?;
    for (i, (role, name)) in participants.iter().enumerate() {
        diesel::insert_into(ap::table)
            .values((
                ap::acceptance_id.eq(id),
                ap::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                ap::role.eq(role.as_str()),
                ap::name.eq(name),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

pub fn set_acceptance_notice(conn: &mut DbConn, id: i64, notice: i64) -> Result<(), DbError> {
    diesel::update(pa::table.filter(pa::id.eq(id)))
        .set(pa::notice_id.eq(notice))
        .execute(conn)?;
    Ok(())
}
