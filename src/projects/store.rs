//! Projects in the database: the project row (read and locked), listed and moved between
//! statuses. Plans are in `plan_store`, progress, inspections and acceptances in `work_store`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::states::ProjectStatus;
use crate::db::schema::projects as pr;
use crate::db::{DbConn, DbError};

/// A project as pages and commands see it.
#[derive(Clone, Debug)]
pub struct Project {
    pub id: i64,
    pub village_id: i64,
    pub candidate_id: i64,
    pub title: String,
    pub status: ProjectStatus,
    pub approved_by_motion: i64,
    pub created_at: NaiveDateTime,
    pub category: String,
    pub suspended_from: Option<ProjectStatus>,
    pub status_reason: Option<String>,
    pub status_changed_at: NaiveDateTime,
}

type ProjectRow = (
    i64,
    i64,
    i64,
    String,
    String,
    i64,
    NaiveDateTime,
    String,
    Option<String>,
    Option<String>,
    NaiveDateTime,
);

fn project(r: ProjectRow) -> Result<Project, DbError> {
    let status = ProjectStatus::parse(&r.4)
        .ok_or_else(|| DbError::unknown("projects", r.0, "status", &r.4))?;
    let suspended_from = match r.8 {
        None => None,
        Some(s) => Some(
            ProjectStatus::parse(&s)
                .ok_or_else(|| DbError::unknown("projects", r.0, "suspended_from", &s))?,
        ),
    };
    Ok(Project {
        id: r.0,
        village_id: r.1,
        candidate_id: r.2,
        title: r.3,
        status,
        approved_by_motion: r.5,
        created_at: r.6,
        category: r.7,
        suspended_from,
        status_reason: r.9,
        status_changed_at: r.10,
    })
}

macro_rules! project_columns {
    () => {
        (
            pr::id,
            pr::village_id,
            pr::candidate_id,
            pr::title,
            pr::status,
            pr::approved_by_motion,
            pr::created_at,
            pr::category,
            pr::suspended_from,
            pr::status_reason,
            pr::status_changed_at,
        )
    };
}

/// A village's project, or `None` (unknown id or another village's).
pub fn get(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Project>, DbError> {
    pr::table
        .filter(pr::id.eq(id).and(pr::village_id.eq(village_id)))
        .select(project_columns!())
        .first::<ProjectRow>(conn)
        .optional()?
        .map(project)
        .transpose()
}

/// Reads and locks a village's project until the transaction ends (FOR UPDATE on PostgreSQL;
/// SQLite's IMMEDIATE transaction already holds the write lock).
pub fn lock(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Project>, DbError> {
    let query = pr::table
        .filter(pr::id.eq(id).and(pr::village_id.eq(village_id)))
        .select(project_columns!());
    let row: Option<ProjectRow> = match conn {
        DbConn::Pg(c) => query.for_update().first(c).optional()?,
        DbConn::Sqlite(c) => query.first(c).optional()?,
    };
    row.map(project).transpose()
}

/// A village's projects, newest first.
pub fn list(conn: &mut DbConn, village_id: i64) -> Result<Vec<Project>, DbError> {
    pr::table
        .filter(pr::village_id.eq(village_id))
        .select(project_columns!())
        .order(pr::id.desc())
        .load::<ProjectRow>(conn)?
        .into_iter()
        .map(project)
        .collect()
}

pub struct NewProject<'a> {
    pub village_id: i64,
    pub candidate_id: i64,
    pub title: &'a str,
    pub category: &'a str,
    pub motion: i64,
}

pub fn insert_project(conn: &mut DbConn, p: &NewProject<'_>) -> Result<i64, DbError> {
    let now = crate::db::now();
    Ok(diesel::insert_into(pr::table)
        .values((
            pr::village_id.eq(p.village_id),
            pr::candidate_id.eq(p.candidate_id),
            pr::title.eq(p.title),
            pr::status.eq(ProjectStatus::Approved.as_str()),
            pr::approved_by_motion.eq(p.motion),
            pr::created_at.eq(now),
            pr::category.eq(p.category),
            pr::status_changed_at.eq(now),
        ))
        .returning(pr::id)
        .get_result(conn)?)
}

/// Moves a project to `to`, with where a suspension returns and the written reason.
pub fn set_status(
    conn: &mut DbConn,
    id: i64,
    to: ProjectStatus,
    suspended_from: Option<ProjectStatus>,
    reason: Option<&str>,
) -> Result<(), DbError> {
    diesel::update(pr::table.filter(pr::id.eq(id)))
        .set((
            pr::status.eq(to.as_str()),
            pr::suspended_from.eq(suspended_from.map(|s| s.as_str())),
            pr::status_reason.eq(reason),
            pr::status_changed_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(())
}
