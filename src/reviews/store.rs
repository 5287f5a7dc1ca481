//! Reviews, their frozen rolls, participation and the village's formula in the database.
//! Answers are in `answer_store.rs`; participation and answers are only ever written together
//! by `commands::respond`, and nothing reads them together. `lock` locks a review (PostgreSQL `FOR UPDATE`; SQLite's `BEGIN IMMEDIATE`
//! already serializes writers).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{Formula, Half, ItemKind, ResponseChannel, ReviewState};
use crate::db::schema::{
    households, review_participation as rp, review_roll as rr, review_settings as rs, reviews as rv,
};
use crate::db::{DbConn, DbError};
use crate::households::domain::Status as HouseholdStatus;

type ReviewRow = (
    i64,
    i64,
    i32,
    String,
    NaiveDateTime,
    NaiveDateTime,
    String,
    String,
    Option<i32>,
    Option<i64>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// A review as stored, its state and kinds read into enums.
#[derive(Clone, Debug)]
pub struct Review {
    pub id: i64,
    pub village_id: i64,
    pub year: i32,
    pub half: Half,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub state: ReviewState,
    pub formula: Formula,
    pub roll_size: Option<i32>,
    pub notice_id: Option<i64>,
    pub closed_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
}

const REVIEW_COLUMNS: (
    rv::id,
    rv::village_id,
    rv::year,
    rv::half,
    rv::opens_at,
    rv::closes_at,
    rv::state,
    rv::formula,
    rv::roll_size,
    rv::notice_id,
    rv::closed_at,
    rv::published_at,
) = (
    rv::id,
    rv::village_id,
    rv::year,
    rv::half,
    rv::opens_at,
    rv::closes_at,
    rv::state,
    rv::formula,
    rv::roll_size,
    rv::notice_id,
    rv::closed_at,
    rv::published_at,
);

fn review(row: ReviewRow) -> Result<Review, DbError> {
    let (id, village_id, year, half, opens_at, closes_at, state, formula, roll, notice, c, p) = row;
    Ok(Review {
        id,
        village_id,
        year,
        half: Half::parse(&half).ok_or_else(|| DbError::unknown("reviews", id, "half", &half))?,
        opens_at,
        closes_at,
        state: ReviewState::parse(&state)
            .ok_or_else(|| DbError::unknown("reviews", id, "state", &state))?,
        formula: Formula::parse(&formula)
            .ok_or_else(|| DbError::unknown("reviews", id, "formula", &formula))?,
        roll_size: roll,
        notice_id: notice,
        closed_at: c,
        published_at: p,
    })
}

/// A review about to be created as a draft.
#[derive(Clone, Debug)]
pub struct NewReview {
    pub village_id: i64,
    pub year: i32,
    pub half: Half,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    /// The village's formula now, kept with the review.
    pub formula: Formula,
    pub created_by: i64,
}

pub fn create(conn: &mut DbConn, r: &NewReview) -> Result<i64, DbError> {
    Ok(diesel::insert_into(rv::table)
        .values((
            rv::village_id.eq(r.village_id),
            rv::year.eq(r.year),
            rv::half.eq(r.half.as_str()),
            rv::opens_at.eq(r.opens_at),
            rv::closes_at.eq(r.closes_at),
            rv::state.eq(ReviewState::Draft.as_str()),
            rv::formula.eq(r.formula.as_str()),
            rv::created_by.eq(r.created_by),
            rv::created_at.eq(crate::db::now()),
        ))
        .returning(rv::id)
        .get_result(conn)?)
}

pub fn list(conn: &mut DbConn, village_id: i64) -> Result<Vec<Review>, DbError> {
    rv::table
        .filter(rv::village_id.eq(village_id))
        .order(rv::id.desc())
        .select(REVIEW_COLUMNS)
        .load::<ReviewRow>(conn)?
        .into_iter()
        .map(review)
        .collect()
}

pub fn get(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Review>, DbError> {
    rv::table
        .filter(rv::id.eq(id).and(rv::village_id.eq(village_id)))
        .select(REVIEW_COLUMNS)
        .first::<ReviewRow>(conn)
        .optional()?
        .map(review)
        .transpose()
}

/// Reads a review and locks it until the caller's transaction ends.
pub fn lock(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Review>, DbError> {
    let query = rv::table
        .filter(rv::id.eq(id).and(rv::village_id.eq(village_id)))
        .select(REVIEW_COLUMNS);
    let row = match conn {
        DbConn::Pg(c) => query.for_update().first::<ReviewRow>(c).optional()?,
        DbConn::Sqlite(c) => query.first::<ReviewRow>(c).optional()?,
    };
    row.map(review).transpose()
}

/// The village's open review households answer now (newest first).
pub fn open_review(conn: &mut DbConn, village_id: i64) -> Result<Option<Review>, DbError> {
    rv::table
        .filter(
            rv::village_id
                .eq(village_id)
                .and(rv::state.eq(ReviewState::Open.as_str())),
        )
        .order(rv::id.desc())
        .select(REVIEW_COLUMNS)
        .first::<ReviewRow>(conn)
        .optional()?
        .map(review)
        .transpose()
}

/// Moves a review from `from` to `to`, stamping the time of the move; false when it had moved.
pub fn advance(
    conn: &mut DbConn,
    id: i64,
    from: ReviewState,
    to: ReviewState,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let target = rv::table.filter(rv::id.eq(id).and(rv::state.eq(from.as_str())));
    let moved = match to {
        ReviewState::Open => diesel::update(target)
            .set((rv::state.eq(to.as_str()), rv::opened_at.eq(now)))
            .execute(conn)?,
        ReviewState::Closed => diesel::update(target)
            .set((rv::state.eq(to.as_str()), rv::closed_at.eq(now)))
            .execute(conn)?,
        ReviewState::Published | ReviewState::Draft => diesel::update(target)
            .set((rv::state.eq(to.as_str()), rv::published_at.eq(now)))
            .execute(conn)?,
    };
    Ok(moved == 1)
}

pub fn set_notice(conn: &mut DbConn, id: i64, notice_id: i64) -> Result<(), DbError> {
    diesel::update(rv::table.find(id))
        .set(rv::notice_id.eq(notice_id))
        .execute(conn)?;
    Ok(())
}

/// Freezes the roll at opening: every active household of the village now; returns its size.
pub fn freeze_roll(conn: &mut DbConn, r: &Review) -> Result<i32, DbError> {
    use diesel::sql_types::BigInt;
    let n = diesel::insert_into(rr::table)
        .values(
            households::table
                .filter(
                    households::village_id
                        .eq(r.village_id)
                        .and(households::status.eq(HouseholdStatus::Active.as_str())),
                )
                .select((r.id.into_sql::<BigInt>(), households::id)),
        )
        .into_columns((rr::review_id, rr::household_id))
        .execute(conn)?;
    let size = i32::try_from(n).unwrap_or(i32::MAX);
    diesel::update(rv::table.find(r.id))
        .set(rv::roll_size.eq(size))
        .execute(conn)?;
    Ok(size)
}

pub fn on_roll(conn: &mut DbConn, review_id: i64, household_id: i64) -> Result<bool, DbError> {
    Ok(rr::table
        .filter(
            rr::review_id
                .eq(review_id)
                .and(rr::household_id.eq(household_id)),
        )
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// When the household's response was written, if it has responded.
pub fn responded_at(
    conn: &mut DbConn,
    review_id: i64,
    household_id: i64,
) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(rp::table
        .filter(
            rp::review_id
                .eq(review_id)
                .and(rp::household_id.eq(household_id)),
        )
        .select(rp::responded_at)
        .first(conn)
        .optional()?)
}

pub fn responses(conn: &mut DbConn, review_id: i64) -> Result<i64, DbError> {
    Ok(rp::table
        .filter(rp::review_id.eq(review_id))
        .count()
        .get_result(conn)?)
}

/// The household's participation; false when it had already responded (the unique key).
pub fn insert_participation(
    conn: &mut DbConn,
    review_id: i64,
    household_id: i64,
    channel: ResponseChannel,
    entered_by: Option<i64>,
) -> Result<bool, DbError> {
    let written = diesel::insert_into(rp::table)
        .values((
            rp::review_id.eq(review_id),
            rp::household_id.eq(household_id),
            rp::channel.eq(channel.as_str()),
            rp::entered_by.eq(entered_by),
            rp::responded_at.eq(crate::db::now()),
        ))
        .execute(conn);
    match written {
        Ok(_) => Ok(true),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The village's formula (the default until a clerk chose one).
pub fn formula(conn: &mut DbConn, village_id: i64) -> Result<Formula, DbError> {
    let stored: Option<String> = rs::table
        .find(village_id)
        .select(rs::formula)
        .first(conn)
        .optional()?;
    match stored {
        None => Ok(super::domain::states::DEFAULT_FORMULA),
        Some(f) => Formula::parse(&f)
            .ok_or_else(|| DbError::unknown("review_settings", village_id, "formula", &f)),
    }
}

pub fn set_formula(conn: &mut DbConn, village_id: i64, formula: Formula) -> Result<(), DbError> {
    let now = crate::db::now();
    let changed = diesel::update(rs::table.find(village_id))
        .set((rs::formula.eq(formula.as_str()), rs::updated_at.eq(now)))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(rs::table)
            .values((
                rs::village_id.eq(village_id),
                rs::formula.eq(formula.as_str()),
                rs::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn kind_of(id: i64, kind: &str) -> Result<ItemKind, DbError> {
    ItemKind::parse(kind).ok_or_else(|| DbError::unknown("review_items", id, "kind", kind))
}
