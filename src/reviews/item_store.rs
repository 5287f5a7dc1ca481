//! A review's items and where they come from: the period's projects and passed resolutions,
//! and items flagged in earlier reviews (flags themselves are in `flag_store.rs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::ItemKind;
use super::domain::period::{ProjectFacts, project_in_period};
use super::store::kind_of;
use crate::db::schema::{
    meetings as mt, motion_tallies as mtl, motions as mo, projects as pj, review_flags as rf,
    review_items as ri, reviews as rv,
};
use crate::db::{DbConn, DbError};
use crate::projects::states::ProjectStatus;

/// An item of a review.
#[derive(Clone, Debug)]
pub struct Item {
    pub id: i64,
    pub review_id: i64,
    pub position: i32,
    pub kind: ItemKind,
    pub project_id: Option<i64>,
    pub motion_id: Option<i64>,
    pub title: String,
    pub carried_from: Option<i64>,
}

type ItemRow = (
    i64,
    i64,
    i32,
    String,
    Option<i64>,
    Option<i64>,
    String,
    Option<i64>,
);

fn item(row: ItemRow) -> Result<Item, DbError> {
    let (id, review_id, position, kind, project_id, motion_id, title, carried_from) = row;
    Ok(Item {
        id,
        review_id,
        position,
        kind: kind_of(id, &kind)?,
        project_id,
        motion_id,
        title,
        carried_from,
    })
}

const ITEM_COLUMNS: (
    ri::id,
    ri::review_id,
    ri::position,
    ri::kind,
    ri::project_id,
    ri::motion_id,
    ri::title,
    ri::carried_from,
) = (
    ri::id,
    ri::review_id,
    ri::position,
    ri::kind,
    ri::project_id,
    ri::motion_id,
    ri::title,
    ri::carried_from,
);

pub fn items(conn: &mut DbConn, review_id: i64) -> Result<Vec<Item>, DbError> {
    ri::table
        .filter(ri::review_id.eq(review_id))
        .order(ri::position)
        .select(ITEM_COLUMNS)
        .load::<ItemRow>(conn)?
        .into_iter()
        .map(item)
        .collect()
}

/// An item of a review of this village.
pub fn item_in_village(
    conn: &mut DbConn,
    village_id: i64,
    item_id: i64,
) -> Result<Option<Item>, DbError> {
    ri::table
        .inner_join(rv::table)
        .filter(ri::id.eq(item_id).and(rv::village_id.eq(village_id)))
        .select(ITEM_COLUMNS)
        .first::<ItemRow>(conn)
        .optional()?
        .map(item)
        .transpose()
}

/// An item about to be added.
#[derive(Clone, Debug)]
pub struct NewItem {
    pub kind: ItemKind,
    pub project_id: Option<i64>,
    pub motion_id: Option<i64>,
    pub title: String,
    pub carried_from: Option<i64>,
}

pub fn add(conn: &mut DbConn, review_id: i64, position: i32, n: &NewItem) -> Result<i64, DbError> {
    Ok(diesel::insert_into(ri::table)
        .values((
            ri::review_id.eq(review_id),
            ri::position.eq(position),
            ri::kind.eq(n.kind.as_str()),
            ri::project_id.eq(n.project_id),
            ri::motion_id.eq(n.motion_id),
            ri::title.eq(&n.title),
            ri::carried_from.eq(n.carried_from),
        ))
        .returning(ri::id)
        .get_result(conn)?)
}

/// The village's projects active or finished in [start, end) (see `period::project_in_period`).
pub fn period_projects(
    conn: &mut DbConn,
    village_id: i64,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<NewItem>, DbError> {
    let rows: Vec<(i64, String, String, NaiveDateTime, NaiveDateTime)> = pj::table
        .filter(pj::village_id.eq(village_id))
        .order(pj::id)
        .select((
            pj::id,
            pj::title,
            pj::status,
            pj::created_at,
            pj::status_changed_at,
        ))
        .load(conn)?;
    let mut out = Vec::new();
    for (id, title, status, created_at, status_changed_at) in rows {
        let status = ProjectStatus::parse(&status)
            .ok_or_else(|| DbError::unknown("projects", id, "status", &status))?;
        let facts = ProjectFacts {
            status,
            created_at,
            status_changed_at,
        };
        if project_in_period(facts, start, end) {
            out.push(NewItem {
                kind: ItemKind::Project,
                project_id: Some(id),
                motion_id: None,
                title,
                carried_from: None,
            });
        }
    }
    Ok(out)
}

/// The village councils' motions that passed in [start, end) (their tally recorded then).
pub fn period_resolutions(
    conn: &mut DbConn,
    village_id: i64,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> Result<Vec<NewItem>, DbError> {
    let passed: Vec<i64> = mtl::table
        .filter(
            mtl::result
                .eq("passed")
                .and(mtl::recorded_at.ge(start))
                .and(mtl::recorded_at.lt(end)),
        )
        .select(mtl::motion_id)
        .load(conn)?;
    let rows: Vec<(i64, String)> = mo::table
        .inner_join(mt::table)
        .filter(mt::village_id.eq(village_id).and(mo::id.eq_any(&passed)))
        .order(mo::id)
        .select((mo::id, mo::text))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, text)| NewItem {
            kind: ItemKind::Resolution,
            project_id: None,
            motion_id: Some(id),
            title: text.chars().take(super::domain::MAX_TITLE).collect(),
            carried_from: None,
        })
        .collect())
}

/// Items flagged in the village's earlier reviews that no later review has carried yet.
pub fn flagged_to_carry(conn: &mut DbConn, village_id: i64) -> Result<Vec<Item>, DbError> {
    let carried: Vec<Option<i64>> = ri::table
        .inner_join(rv::table)
        .filter(
            rv::village_id
                .eq(village_id)
                .and(ri::carried_from.is_not_null()),
        )
        .select(ri::carried_from)
        .load(conn)?;
    let flagged: Vec<ItemRow> = rf::table
        .inner_join(ri::table.inner_join(rv::table))
        .filter(rv::village_id.eq(village_id))
        .order(ri::id)
        .select(ITEM_COLUMNS)
        .load(conn)?;
    flagged
        .into_iter()
        .filter(|row| !carried.contains(&Some(row.0)))
        .map(item)
        .collect()
}
