//! Reads over a fund's entries that commands and pages decide on: what posted entries move
//! (balances), voucher and reversal checks, the chain head, pending counts.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::domain::chain::{GENESIS, to_hex};
use super::domain::{EntryKind, EntryState, Movement};
use crate::db::schema::ledger_entries as e;
use crate::db::{DbConn, DbError};
use crate::money::Money;

/// What the fund's posted entries move: one light query, reversals resolved to the kind and
/// project of what they undo.
pub fn movements(conn: &mut DbConn, fund_id: i64) -> Result<Vec<(Movement, NaiveDate)>, DbError> {
    type Row = (i64, String, i64, Option<i64>, Option<i64>, NaiveDate);
    let rows: Vec<Row> = e::table
        .filter(
            e::fund_id
                .eq(fund_id)
                .and(e::state.eq(EntryState::Posted.as_str())),
        )
        .select((
            e::id,
            e::kind,
            e::amount_fen,
            e::project_id,
            e::reverses_id,
            e::entry_date,
        ))
        .order(e::seq)
        .load(conn)?;
    let mut by_id = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (id, kind, amount, project, reverses, date) in rows {
        let kind = EntryKind::parse(&kind)
            .ok_or_else(|| DbError::unknown("ledger_entries", id, "kind", &kind))?;
        let (project_id, reversed) = match reverses.and_then(|r| by_id.get(&r)) {
            Some(&(k, p)) => (p, Some(k)),
            None => (project, None),
        };
        by_id.insert(id, (kind, project_id));
        out.push((
            Movement {
                kind,
                amount: Money::from_fen(amount),
                project_id,
                reversed,
            },
            date,
        ));
    }
    Ok(out)
}

pub fn voucher_taken(conn: &mut DbConn, fund_id: i64, voucher: &str) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        e::table.filter(e::fund_id.eq(fund_id).and(e::voucher.eq(voucher))),
    ))
    .get_result(conn)?)
}

/// Whether a reversal (pending or posted) of the entry exists.
pub fn reversal_of(conn: &mut DbConn, entry_id: i64) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        e::table.filter(
            e::reverses_id
                .eq(entry_id)
                .and(e::state.ne(EntryState::Rejected.as_str())),
        ),
    ))
    .get_result(conn)?)
}

/// The last posted entry's sequence number and hash; (0, GENESIS) for an empty chain.
pub fn head(conn: &mut DbConn, fund_id: i64) -> Result<(i64, String), DbError> {
    let last: Option<(Option<i64>, Option<String>)> = e::table
        .filter(
            e::fund_id
                .eq(fund_id)
                .and(e::state.eq(EntryState::Posted.as_str())),
        )
        .order(e::seq.desc())
        .select((e::seq, e::hash))
        .first(conn)
        .optional()?;
    Ok(match last {
        Some((Some(seq), Some(hash))) => (seq, hash),
        _ => (0, to_hex(&GENESIS)),
    })
}

/// Pending entries per fund (counts for the auditor's table).
pub fn pending_count(conn: &mut DbConn, fund_id: i64) -> Result<i64, DbError> {
    Ok(e::table
        .filter(
            e::fund_id
                .eq(fund_id)
                .and(e::state.eq(EntryState::Pending.as_str())),
        )
        .count()
        .get_result(conn)?)
}
