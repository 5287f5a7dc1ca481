//! Voided ballots and their reasons: listed by household number, time, reason and clerk for the
//! clerks and supervisors of the village; counted by reason (no household named) on the public
//! results; and told to the household itself the next time it signs in.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{ballots as b, households as h, staff as st};
use crate::db::{DbConn, DbError};

/// One voided ballot as staff see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Void {
    pub number: String,
    pub voided_at: NaiveDateTime,
    pub reason: String,
    pub by: String,
}

type VoidRow = (
    i64,
    String,
    Option<NaiveDateTime>,
    Option<String>,
    Option<String>,
);

fn voids(rows: Vec<VoidRow>) -> Vec<(i64, Void)> {
    rows.into_iter()
        .filter_map(|(round, number, at, reason, by)| {
            Some((
                round,
                Void {
                    number,
                    voided_at: at?,
                    reason: reason.unwrap_or_default(),
                    by: by.unwrap_or_default(),
                },
            ))
        })
        .collect()
}

/// Every voided ballot of a round, oldest first.
pub fn list(conn: &mut DbConn, round_id: i64) -> Result<Vec<Void>, DbError> {
    let rows: Vec<VoidRow> = b::table
        .inner_join(h::table.on(h::id.eq(b::household_id)))
        .left_join(st::table.on(b::voided_by.eq(st::id.nullable())))
        .filter(b::round_id.eq(round_id).and(b::voided_at.is_not_null()))
        .select((
            b::round_id,
            h::number,
            b::voided_at,
            b::void_reason,
            st::display_name.nullable(),
        ))
        .order((b::voided_at, b::id))
        .load(conn)?;
    Ok(voids(rows).into_iter().map(|(_, v)| v).collect())
}

/// Every voided ballot of every round of a village, by round id, oldest first (one query, for
/// the supervisors' page).
pub fn list_in_village(conn: &mut DbConn, village_id: i64) -> Result<Vec<(i64, Void)>, DbError> {
    let rows: Vec<VoidRow> = b::table
        .inner_join(h::table.on(h::id.eq(b::household_id)))
        .left_join(st::table.on(b::voided_by.eq(st::id.nullable())))
        .filter(h::village_id.eq(village_id).and(b::voided_at.is_not_null()))
        .select((
            b::round_id,
            h::number,
            b::voided_at,
            b::void_reason,
            st::display_name.nullable(),
        ))
        .order((b::voided_at, b::id))
        .load(conn)?;
    Ok(voids(rows))
}

/// Voided ballots counted by reason (the reason as the clerk wrote it), most frequent first:
/// what the public sees, with no household named.
pub fn by_reason(conn: &mut DbConn, round_id: i64) -> Result<Vec<(String, i64)>, DbError> {
    let mut rows: Vec<(Option<String>, i64)> = b::table
        .filter(b::round_id.eq(round_id).and(b::voided_at.is_not_null()))
        .group_by(b::void_reason)
        .select((b::void_reason, diesel::dsl::count_star()))
        .load(conn)?;
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(rows
        .into_iter()
        .map(|(reason, n)| (reason.unwrap_or_default(), n))
        .collect())
}

/// The household's latest ballot in the round when it was voided and nothing counts since:
/// (when, reason), for the household's own page.
pub fn voided_for(
    conn: &mut DbConn,
    round_id: i64,
    household_id: i64,
) -> Result<Option<(NaiveDateTime, String)>, DbError> {
    let latest: Option<(Option<NaiveDateTime>, Option<String>)> = b::table
        .filter(
            b::round_id
                .eq(round_id)
                .and(b::household_id.eq(household_id)),
        )
        .select((b::voided_at, b::void_reason))
        .order(b::id.desc())
        .first(conn)
        .optional()?;
    Ok(match latest {
        Some((Some(at), reason)) => Some((at, reason.unwrap_or_default())),
        _ => None,
    })
}
