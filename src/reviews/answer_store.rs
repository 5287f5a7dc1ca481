//! What was answered: rows with a random TEXT id, the item, the rating, an optional comment and
//! the Beijing date only, never a household. Counts per item, the anonymous list for the export
//! (in the order of the random ids) and the comments for the committee.

use chrono::NaiveDate;
use diesel::prelude::*;
use rand::RngCore;

use super::domain::{Counts, Rating};
use crate::db::schema::{review_answers as ra, review_items as ri};
use crate::db::{DbConn, DbError};

/// A fresh answer id: 16 random bytes in hex, so ids say nothing about order.
pub fn answer_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Today in Beijing: the only time an answer keeps.
pub fn beijing_today() -> NaiveDate {
    crate::db::now()
        .and_utc()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
}

pub fn insert_answer(
    conn: &mut DbConn,
    item_id: i64,
    rating: Rating,
    comment: Option<&str>,
    on: NaiveDate,
) -> Result<(), DbError> {
    diesel::insert_into(ra::table)
        .values((
            ra::id.eq(answer_id()),
            ra::item_id.eq(item_id),
            ra::rating.eq(rating.as_str()),
            ra::comment.eq(comment),
            ra::answered_on.eq(on),
        ))
        .execute(conn)?;
    Ok(())
}

/// Counts per item of a review.
pub fn counts(conn: &mut DbConn, review_id: i64) -> Result<Vec<(i64, Counts)>, DbError> {
    let rows: Vec<(i64, String, i64)> = ra::table
        .inner_join(ri::table)
        .filter(ri::review_id.eq(review_id))
        .group_by((ra::item_id, ra::rating))
        .select((ra::item_id, ra::rating, diesel::dsl::count_star()))
        .load(conn)?;
    let mut out: Vec<(i64, Counts)> = Vec::new();
    for (item, rating, n) in rows {
        let r = Rating::parse(&rating)
            .ok_or_else(|| DbError::unknown("review_answers", item, "rating", &rating))?;
        let pos = match out.iter().position(|(i, _)| *i == item) {
            Some(pos) => pos,
            None => {
                out.push((item, Counts::default()));
                out.len() - 1
            }
        };
        for _ in 0..n {
            out[pos].1.add(r);
        }
    }
    Ok(out)
}

/// One anonymous answer for the export: item, rating, comment, date; in the order of the random
/// ids, which is no order of households.
pub type AnswerLine = (String, i64, String, Option<String>, NaiveDate);

pub fn answers(conn: &mut DbConn, review_id: i64) -> Result<Vec<AnswerLine>, DbError> {
    Ok(ra::table
        .inner_join(ri::table)
        .filter(ri::review_id.eq(review_id))
        .order(ra::id)
        .select((
            ra::id,
            ra::item_id,
            ra::rating,
            ra::comment,
            ra::answered_on,
        ))
        .load(conn)?)
}

/// The comments of a closed review, per item, in the order of the random answer ids: for the
/// committee's page only (never exported: a comment may name its household).
pub fn comments(conn: &mut DbConn, review_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    let rows: Vec<(i64, Option<String>)> = ra::table
        .inner_join(ri::table)
        .filter(ri::review_id.eq(review_id).and(ra::comment.is_not_null()))
        .order(ra::id)
        .select((ra::item_id, ra::comment))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(item, c)| c.map(|c| (item, c)))
        .collect())
}

/// Rewrites the answers table in the order of the random ids. SQLite keeps a `WITHOUT ROWID`
/// table in primary-key order already; a PostgreSQL heap keeps rows in the order they were
/// inserted, which a database administrator could pair with the participation rows. Called at
/// a review's close, inside its transaction (`CLUSTER … USING` takes the table's lock briefly).
pub fn reorder(conn: &mut DbConn) -> Result<(), DbError> {
    if let DbConn::Pg(_) = conn {
        diesel::sql_query("CLUSTER review_answers USING review_answers_pkey").execute(conn)?;
    }
    Ok(())
}
