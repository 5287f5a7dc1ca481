//! Remarks the supervisory board (监事会) records on a collection round: the one thing a
//! supervisor writes. A remark names its author as they were named that day, is audited, is shown
//! to the clerks on the round's page and to everyone on its public page, and is never changed or
//! withdrawn (the database keeps it; a later remark may add to it).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{self, Action, Actor, Event};
use crate::db::schema::{staff as st, supervisor_remarks as sr};
use crate::db::{DbConn, DbError};
use crate::error::AppError;
use crate::villages::store::VillageRef;
use crate::web::once::{self, Claim};

/// The longest remark kept.
pub const REMARK_MAX: usize = 1_000;

/// A remark as typed, trimmed, with one kind of line break; `None` when empty or too long.
pub fn valid_remark(typed: &str) -> Option<String> {
    let text = typed.trim().replace("\r\n", "\n");
    (!text.is_empty() && text.chars().count() <= REMARK_MAX).then_some(text)
}

/// A remark as the pages show it.
#[derive(Clone, Debug, Queryable)]
pub struct Remark {
    pub round_id: i64,
    pub author: String,
    pub body: String,
    pub at: NaiveDateTime,
}

const REMARK_COLUMNS: (sr::round_id, sr::staff_name, sr::body, sr::created_at) =
    (sr::round_id, sr::staff_name, sr::body, sr::created_at);

/// The remarks on one round, oldest first.
pub fn of_round(conn: &mut DbConn, round_id: i64) -> Result<Vec<Remark>, DbError> {
    Ok(sr::table
        .filter(sr::round_id.eq(round_id))
        .order(sr::id)
        .select(REMARK_COLUMNS)
        .load(conn)?)
}

/// The remarks on every round of a village, oldest first (one query for the board's page).
pub fn of_village(conn: &mut DbConn, village_id: i64) -> Result<Vec<Remark>, DbError> {
    use crate::db::schema::collection_rounds as cr;
    Ok(sr::table
        .inner_join(cr::table.on(cr::id.eq(sr::round_id)))
        .filter(cr::village_id.eq(village_id))
        .order(sr::id)
        .select(REMARK_COLUMNS)
        .load(conn)?)
}

/// Who records a remark.
pub struct Supervisor {
    pub staff_id: i64,
    pub village: VillageRef,
    pub address: String,
}

/// Records a checked remark on a round of the supervisor's village, once per form token; returns
/// the board's page. A round of another village is not found.
pub fn record(
    conn: &mut DbConn,
    by: &Supervisor,
    round_id: i64,
    body: &str,
    token: &str,
) -> Result<String, AppError> {
    let page = format!("/staff/v/{}/supervision#round-{round_id}", by.village.code);
    if let Claim::Repeat(_) = once::claim(conn, "supervision-remark", token)? {
        return Ok(page);
    }
    crate::collection::store::lock(conn, by.village.id, round_id)?.ok_or(AppError::NotFound)?;
    let name: String = st::table
        .filter(st::id.eq(by.staff_id))
        .select(st::display_name)
        .first(conn)?;
    diesel::insert_into(sr::table)
        .values((
            sr::round_id.eq(round_id),
            sr::staff_id.eq(by.staff_id),
            sr::staff_name.eq(&name),
            sr::body.eq(body),
            sr::created_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        Event::ok(
            Actor::Staff(by.staff_id),
            Action::SupervisionRemark,
            format!("round:{round_id}"),
        )
        .in_township(by.village.township_id)
        .from_address(&by.address),
    )?;
    once::finish(conn, token, &page)?;
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remark_is_some_text_of_at_most_a_thousand_characters() {
        assert_eq!(
            valid_remark("  作废理由不充分\r\n请复核  ").as_deref(),
            Some("作废理由不充分\n请复核")
        );
        assert_eq!(valid_remark(" \r\n "), None);
        assert_eq!(
            valid_remark(&"字".repeat(REMARK_MAX)).map(|t| t.chars().count()),
            Some(REMARK_MAX)
        );
        assert_eq!(valid_remark(&"字".repeat(REMARK_MAX + 1)), None);
    }
}
