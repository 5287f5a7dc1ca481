//! Changes to a frozen roll after the round opened, each with the clerk's written reason: late
//! additions (`round_roll.added_reason`) and removals (`roll_removals`). The public page accounts
//! for them so the numbers add up: frozen size + additions − removals = the roll the turnout
//! table counts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{households as h, roll_removals as rm, round_roll as rr};
use crate::db::{DbConn, DbError, is_unique_violation};

/// Takes a household off the round's roll; false when it was taken off already.
pub fn remove(
    conn: &mut DbConn,
    round_id: i64,
    household_id: i64,
    reason: &str,
    staff_id: i64,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let inserted = diesel::insert_into(rm::table)
        .values((
            rm::round_id.eq(round_id),
            rm::household_id.eq(household_id),
            rm::reason.eq(reason),
            rm::removed_by.eq(staff_id),
            rm::removed_at.eq(now),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Households taken off the roll: (户号, reason), for the clerk's page.
pub fn removals(conn: &mut DbConn, round_id: i64) -> Result<Vec<(String, String)>, DbError> {
    Ok(rm::table
        .inner_join(h::table.on(h::id.eq(rm::household_id)))
        .filter(rm::round_id.eq(round_id))
        .select((h::number, rm::reason))
        .order(h::number)
        .load(conn)?)
}

/// How the roll changed after it was frozen, counted by reason with no household named.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RollAccount {
    /// (reason, households) added after opening.
    pub added: Vec<(String, i64)>,
    /// (reason, households) removed after opening.
    pub removed: Vec<(String, i64)>,
}

impl RollAccount {
    pub fn added_total(&self) -> i64 {
        self.added.iter().map(|(_, n)| n).sum()
    }
    pub fn removed_total(&self) -> i64 {
        self.removed.iter().map(|(_, n)| n).sum()
    }
    /// The roll now: the frozen size plus additions less removals.
    pub fn now(&self, frozen: Option<i32>) -> i64 {
        i64::from(frozen.unwrap_or(0)) + self.added_total() - self.removed_total()
    }
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

fn by_reason(rows: Vec<(Option<String>, i64)>) -> Vec<(String, i64)> {
    let mut rows: Vec<(String, i64)> = rows
        .into_iter()
        .map(|(r, n)| (r.unwrap_or_default(), n))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

pub fn account(conn: &mut DbConn, round_id: i64) -> Result<RollAccount, DbError> {
    let added: Vec<(Option<String>, i64)> = rr::table
        .filter(
            rr::round_id
                .eq(round_id)
                .and(rr::added_reason.is_not_null()),
        )
        .group_by(rr::added_reason)
        .select((rr::added_reason, diesel::dsl::count_star()))
        .load(conn)?;
    let removed: Vec<(String, i64)> = rm::table
        .filter(rm::round_id.eq(round_id))
        .group_by(rm::reason)
        .select((rm::reason, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(RollAccount {
        added: by_reason(added),
        removed: by_reason(removed.into_iter().map(|(r, n)| (Some(r), n)).collect()),
    })
}
