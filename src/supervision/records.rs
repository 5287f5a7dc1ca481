//! What the board reads per round beyond the counts, one query per list for the whole village:
//! households added to or taken off a frozen roll with their reasons, and paper typings that are
//! not simply posted — typed once so far, two typings that differ, or a difference settled — with
//! who typed each.

use diesel::prelude::*;

use crate::collection::paper::EntryState;
use crate::db::schema::{
    ballots as b, collection_rounds as cr, households as h, paper_entries as pe,
    roll_removals as rm, round_roll as rr, staff as st,
};
use crate::db::{DbConn, DbError};

/// A roll change: (round, 户号, reason); `added` tells additions from removals.
#[derive(Clone, Debug)]
pub struct RollChange {
    pub round_id: i64,
    pub number: String,
    pub reason: String,
    pub added: bool,
}

/// A paper typing the board should see: (round, serial, state, typist), and for a settled
/// difference whether this is the typing that was chosen to count.
#[derive(Clone, Debug)]
pub struct Typing {
    pub round_id: i64,
    pub serial: String,
    pub state: EntryState,
    pub typist: String,
    pub counted: bool,
}

pub fn roll_changes(conn: &mut DbConn, village_id: i64) -> Result<Vec<RollChange>, DbError> {
    let added: Vec<(i64, String, Option<String>)> = rr::table
        .inner_join(cr::table.on(cr::id.eq(rr::round_id)))
        .inner_join(h::table.on(h::id.eq(rr::household_id)))
        .filter(
            cr::village_id
                .eq(village_id)
                .and(rr::added_reason.is_not_null()),
        )
        .order((rr::round_id, h::number))
        .select((rr::round_id, h::number, rr::added_reason))
        .load(conn)?;
    let removed: Vec<(i64, String, String)> = rm::table
        .inner_join(cr::table.on(cr::id.eq(rm::round_id)))
        .inner_join(h::table.on(h::id.eq(rm::household_id)))
        .filter(cr::village_id.eq(village_id))
        .order((rm::round_id, h::number))
        .select((rm::round_id, h::number, rm::reason))
        .load(conn)?;
    let added = added
        .into_iter()
        .map(|(round_id, number, reason)| RollChange {
            round_id,
            number,
            reason: reason.unwrap_or_default(),
            added: true,
        });
    let removed = removed
        .into_iter()
        .map(|(round_id, number, reason)| RollChange {
            round_id,
            number,
            reason,
            added: false,
        });
    Ok(added.chain(removed).collect())
}

/// Typings waiting for their second typing, differing, or settled after differing.
pub fn typings(conn: &mut DbConn, village_id: i64) -> Result<Vec<Typing>, DbError> {
    let shown = [
        EntryState::Waiting,
        EntryState::Mismatch,
        EntryState::Resolved,
    ]
    .map(EntryState::as_str);
    // The ballot a settled paper became carries the chosen typist as `entered_by`.
    let rows: Vec<(i64, String, String, String, i64, Option<i64>)> = pe::table
        .inner_join(cr::table.on(cr::id.eq(pe::round_id)))
        .inner_join(st::table.on(st::id.eq(pe::entered_by)))
        .left_join(
            b::table.on(b::round_id
                .eq(pe::round_id)
                .and(b::paper_serial.eq(pe::paper_serial.nullable()))),
        )
        .filter(cr::village_id.eq(village_id).and(pe::state.eq_any(shown)))
        .order((pe::round_id, pe::paper_serial, pe::id))
        .select((
            pe::round_id,
            pe::paper_serial,
            pe::state,
            st::display_name,
            pe::entered_by,
            b::entered_by.nullable(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(round_id, serial, state, typist, typed_by, counted_by)| {
            let parsed = EntryState::parse(&state)
                .ok_or_else(|| DbError::unknown("paper_entries", round_id, "state", &state))?;
            Ok(Typing {
                round_id,
                serial,
                counted: parsed == EntryState::Resolved && counted_by == Some(typed_by),
                state: parsed,
                typist,
            })
        })
        .collect()
}
