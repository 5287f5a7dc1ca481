//! Flags of review items whose rate fell under the threshold at the close, and the committee's
//! re-consultations that answer them. A flag is open until its re-consultation is recorded.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{
    review_flags as rf, review_items as ri, review_reconsultations as rc, reviews as rv,
};
use crate::db::{DbConn, DbError};

pub fn insert_flag(
    conn: &mut DbConn,
    review_id: i64,
    item_id: i64,
    favourable: i64,
    valid: i64,
) -> Result<(), DbError> {
    diesel::insert_into(rf::table)
        .values((
            rf::item_id.eq(item_id),
            rf::review_id.eq(review_id),
            rf::favourable.eq(i32::try_from(favourable).unwrap_or(i32::MAX)),
            rf::valid.eq(i32::try_from(valid).unwrap_or(i32::MAX)),
            rf::flagged_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A flag with the committee's re-consultation, once recorded.
#[derive(Clone, Debug)]
pub struct Flag {
    pub item_id: i64,
    pub review_id: i64,
    pub year: i32,
    pub half: super::domain::Half,
    pub title: String,
    pub project_id: Option<i64>,
    pub favourable: i32,
    pub valid: i32,
    pub reconsultation: Option<Reconsultation>,
}

impl Flag {
    pub fn rate_text(&self) -> String {
        super::domain::Rate {
            favourable: i64::from(self.favourable),
            valid: i64::from(self.valid),
        }
        .percent_text()
    }
    pub fn open(&self) -> bool {
        self.reconsultation.is_none()
    }
}

#[derive(Clone, Debug)]
pub struct Reconsultation {
    pub held_on: NaiveDate,
    pub method: String,
    pub heard: String,
    pub changes: String,
}

type FlagRow = (i64, i64, i32, String, String, Option<i64>, i32, i32);

fn flags_where(conn: &mut DbConn, rows: Vec<FlagRow>) -> Result<Vec<Flag>, DbError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let recs: Vec<(i64, NaiveDate, String, String, String)> = rc::table
        .filter(rc::item_id.eq_any(&ids))
        .select((rc::item_id, rc::held_on, rc::method, rc::heard, rc::changes))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(item_id, review_id, year, half, title, project_id, favourable, valid)| {
                let half = super::domain::Half::parse(&half)
                    .ok_or_else(|| DbError::unknown("reviews", review_id, "half", &half))?;
                let reconsultation = recs
                    .iter()
                    .find(|r| r.0 == item_id)
                    .map(|r| Reconsultation {
                        held_on: r.1,
                        method: r.2.clone(),
                        heard: r.3.clone(),
                        changes: r.4.clone(),
                    });
                Ok(Flag {
                    item_id,
                    review_id,
                    year,
                    half,
                    title,
                    project_id,
                    favourable,
                    valid,
                    reconsultation,
                })
            },
        )
        .collect()
}

const FLAG_COLUMNS: (
    rf::item_id,
    rf::review_id,
    rv::year,
    rv::half,
    ri::title,
    ri::project_id,
    rf::favourable,
    rf::valid,
) = (
    rf::item_id,
    rf::review_id,
    rv::year,
    rv::half,
    ri::title,
    ri::project_id,
    rf::favourable,
    rf::valid,
);

/// Every flag of the village, newest first.
pub fn village_flags(conn: &mut DbConn, village_id: i64) -> Result<Vec<Flag>, DbError> {
    let rows = rf::table
        .inner_join(ri::table.inner_join(rv::table))
        .filter(rv::village_id.eq(village_id))
        .order(rf::item_id.desc())
        .select(FLAG_COLUMNS)
        .load(conn)?;
    flags_where(conn, rows)
}

/// The flags of one review.
pub fn review_flags(conn: &mut DbConn, review_id: i64) -> Result<Vec<Flag>, DbError> {
    let rows = rf::table
        .inner_join(ri::table.inner_join(rv::table))
        .filter(rf::review_id.eq(review_id))
        .order(rf::item_id)
        .select(FLAG_COLUMNS)
        .load(conn)?;
    flags_where(conn, rows)
}

/// The flags on items about these projects, newest first.
pub fn flags_of_projects(conn: &mut DbConn, project_ids: &[i64]) -> Result<Vec<Flag>, DbError> {
    let rows = rf::table
        .inner_join(ri::table.inner_join(rv::table))
        .filter(ri::project_id.eq_any(project_ids))
        .order(rf::item_id.desc())
        .select(FLAG_COLUMNS)
        .load(conn)?;
    flags_where(conn, rows)
}

pub fn is_flagged(conn: &mut DbConn, item_id: i64) -> Result<bool, DbError> {
    Ok(rf::table.find(item_id).count().get_result::<i64>(conn)? > 0)
}

/// Records the re-consultation; false when one was recorded already (the primary key).
pub fn insert_reconsultation(
    conn: &mut DbConn,
    item_id: i64,
    r: &super::domain::ValidReconsult,
    staff_id: i64,
) -> Result<bool, DbError> {
    let written = diesel::insert_into(rc::table)
        .values((
            rc::item_id.eq(item_id),
            rc::held_on.eq(r.held_on),
            rc::method.eq(&r.method),
            rc::heard.eq(&r.heard),
            rc::changes.eq(&r.changes),
            rc::recorded_by.eq(staff_id),
            rc::recorded_at.eq(crate::db::now()),
        ))
        .execute(conn);
    match written {
        Ok(_) => Ok(true),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Per village: how many of its flags wait for a re-consultation (for the clerk's dashboard).
pub fn open_flag_counts(
    conn: &mut DbConn,
    village_ids: &[i64],
) -> Result<Vec<(i64, usize)>, DbError> {
    let mut out = Vec::new();
    for v in village_ids {
        let open = village_flags(conn, *v)?.iter().filter(|f| f.open()).count();
        out.push((*v, open));
    }
    Ok(out)
}
