//! The writes of entries: a pending entry recorded, then posted with its place in the chain or
//! rejected with a reason; each a conditional update on `state = 'pending'`, so it happens once.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::domain::{EntryKind, EntryState};
use crate::db::schema::ledger_entries as e;
use crate::db::{DbConn, DbError};
use crate::money::Money;

pub struct NewEntry<'a> {
    pub fund_id: i64,
    pub kind: EntryKind,
    pub voucher: &'a str,
    pub date: NaiveDate,
    pub payee: &'a str,
    pub description: &'a str,
    pub amount: Money,
    pub project_id: Option<i64>,
    pub reverses_id: Option<i64>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

pub fn insert_entry(conn: &mut DbConn, n: &NewEntry<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(e::table)
        .values((
            (
                e::fund_id.eq(n.fund_id),
                e::kind.eq(n.kind.as_str()),
                e::state.eq(EntryState::Pending.as_str()),
                e::voucher.eq(n.voucher),
                e::entry_date.eq(n.date),
                e::payee.eq(n.payee),
                e::description.eq(n.description),
                e::amount_fen.eq(n.amount.fen()),
            ),
            (
                e::project_id.eq(n.project_id),
                e::reverses_id.eq(n.reverses_id),
                e::recorded_by.eq(n.recorded_by),
                e::recorded_at.eq(n.recorded_at),
            ),
        ))
        .returning(e::id)
        .get_result(conn)?)
}

/// Posts a pending entry at `seq` with its hashes; false when it was not pending.
pub fn post(
    conn: &mut DbConn,
    id: i64,
    seq: i64,
    prev_hash: &str,
    hash: &str,
    by: i64,
    at: NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(
        e::table.filter(e::id.eq(id).and(e::state.eq(EntryState::Pending.as_str()))),
    )
    .set((
        e::state.eq(EntryState::Posted.as_str()),
        e::seq.eq(seq),
        e::prev_hash.eq(prev_hash),
        e::hash.eq(hash),
        e::decided_by.eq(by),
        e::decided_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Rejects a pending entry with a reason; false when it was not pending.
pub fn reject(
    conn: &mut DbConn,
    id: i64,
    reason: &str,
    by: i64,
    at: NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(
        e::table.filter(e::id.eq(id).and(e::state.eq(EntryState::Pending.as_str()))),
    )
    .set((
        e::state.eq(EntryState::Rejected.as_str()),
        e::reject_reason.eq(reason),
        e::decided_by.eq(by),
        e::decided_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
