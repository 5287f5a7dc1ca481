//! A closed round's tally in the database: counted once, in the transaction that closes the
//! round (`store::advance`), and read back by the results pages and downloads as a few rows.
//!
//! Why this is sound: ballots, suggestions and the roll of a closed round never change (the
//! database refuses it, docs/promises.md), so their count cannot change either, and the stored
//! rows themselves are refused any change (`round_group_tallies_no_*`,
//! `round_category_tallies_no_*`). Counting a million ballots once at closing instead of on
//! every request is what brings the results page's tally from about a second to a millisecond.
//! An open round is still counted live (`store::counted_ballot_groups` and friends); the
//! straightforward recount and this stored tally are compared on random rounds in
//! `tests/api/collection_tally.rs`.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::db::schema::{
    ballots, round_category_tallies as rct, round_group_tallies as rgt, round_roll, suggestions,
};
use crate::db::{DbConn, DbError};

/// (group id, households on the roll) for every group with someone on the roll, ordered by
/// group; households taken off the roll with a reason are not counted.
pub fn roll_by_group(conn: &mut DbConn, round_id: i64) -> Result<Vec<(i64, i64)>, DbError> {
    use crate::db::schema::roll_removals as rm;
    let removed = rm::table.filter(
        rm::round_id
            .eq(round_id)
            .and(rm::household_id.eq(round_roll::household_id)),
    );
    Ok(round_roll::table
        .filter(round_roll::round_id.eq(round_id))
        .filter(diesel::dsl::not(diesel::dsl::exists(removed)))
        .group_by(round_roll::group_id)
        .select((round_roll::group_id, diesel::dsl::count_star()))
        .order(round_roll::group_id)
        .load(conn)?)
}

/// Counts the round (already moved to `closed` in this transaction) and stores the counts.
/// Every count is made by the database (GROUP BY over the narrow columns), so no ballot or
/// suggestion row is carried into the program.
pub fn record(conn: &mut DbConn, round_id: i64) -> Result<(), DbError> {
    let mut groups: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (group, roll) in roll_by_group(conn, round_id)? {
        groups.entry(group).or_default().0 = roll;
    }
    let ballots_per_group: Vec<(i64, i64)> = ballots::table
        .filter(
            ballots::round_id
                .eq(round_id)
                .and(ballots::voided_at.is_null()),
        )
        .group_by(ballots::group_id)
        .select((ballots::group_id, diesel::dsl::count_star()))
        .load(conn)?;
    for (group, counted) in ballots_per_group {
        groups.entry(group).or_default().1 = counted;
    }
    let per_category: Vec<(String, i64)> = suggestions::table
        .inner_join(ballots::table)
        .filter(
            ballots::round_id
                .eq(round_id)
                .and(ballots::voided_at.is_null()),
        )
        .filter(suggestions::version.eq(ballots::version))
        .group_by(suggestions::category)
        .select((suggestions::category, diesel::dsl::count_star()))
        .load(conn)?;
    for (group, (roll, counted)) in groups {
        diesel::insert_into(rgt::table)
            .values((
                rgt::round_id.eq(round_id),
                rgt::group_id.eq(group),
                rgt::roll.eq(roll),
                rgt::ballots.eq(counted),
            ))
            .execute(conn)?;
    }
    for (category, counted) in per_category {
        diesel::insert_into(rct::table)
            .values((
                rct::round_id.eq(round_id),
                rct::category.eq(category),
                rct::suggestions.eq(counted),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A closed round's stored counts: (group, roll, ballots) ordered by group, and (category,
/// suggestions); `results::from_counts` makes the page's tally of them.
pub struct Stored {
    pub groups: Vec<(i64, i64, i64)>,
    pub categories: Vec<(String, i64)>,
}

pub fn stored(conn: &mut DbConn, round_id: i64) -> Result<Stored, DbError> {
    Ok(Stored {
        groups: rgt::table
            .filter(rgt::round_id.eq(round_id))
            .select((rgt::group_id, rgt::roll, rgt::ballots))
            .order(rgt::group_id)
            .load(conn)?,
        categories: rct::table
            .filter(rct::round_id.eq(round_id))
            .select((rct::category, rct::suggestions))
            .order(rct::category)
            .load(conn)?,
    })
}
