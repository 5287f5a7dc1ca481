//! Rounds, their frozen rolls and their results in the database. Ballots, paper entries and
//! collection sites are in `ballot_store.rs`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{RoundState, ValidRound, roll_hash};
pub use super::round::Round;
use super::round::{RoundRow, round, rounds};
use crate::db::schema::{ballots, collection_rounds as cr, households, round_roll, suggestions};
use crate::db::{DbConn, DbError};
use crate::households::domain::Status as HouseholdStatus;

pub fn create(
    conn: &mut DbConn,
    village_id: i64,
    round: &ValidRound,
    staff_id: i64,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(cr::table)
        .values((
            cr::village_id.eq(village_id),
            cr::title.eq(&round.title),
            cr::year.eq(round.year),
            cr::opens_at.eq(round.opens_at),
            cr::closes_at.eq(round.closes_at),
            cr::min_suggestions.eq(round.min_suggestions),
            cr::max_suggestions.eq(round.max_suggestions),
            cr::categories.eq(round.categories.join("\n")),
            cr::double_entry.eq(round.double_entry),
            cr::state.eq(RoundState::Draft.as_str()),
            cr::created_by.eq(staff_id),
            cr::created_at.eq(crate::db::now()),
        ))
        .returning(cr::id)
        .get_result(conn)?)
}

pub fn list(conn: &mut DbConn, village_id: i64) -> Result<Vec<Round>, DbError> {
    rounds(
        cr::table
            .filter(cr::village_id.eq(village_id))
            .order(cr::id.desc())
            .load(conn)?,
    )
}

pub fn get(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Round>, DbError> {
    round(
        cr::table
            .filter(cr::id.eq(id).and(cr::village_id.eq(village_id)))
            .first(conn)
            .optional()?,
    )
}

/// Reads a round and locks it until the caller's transaction ends: every write to a round
/// (ballots, paper, corrections, sites, state changes) takes this lock first and then decides
/// on the state it sees, so closing waits for a ballot being written and a ballot arriving
/// during the close sees the round closed. PostgreSQL: `SELECT … FOR UPDATE`; SQLite: the
/// write lock `BEGIN IMMEDIATE` took already serializes every writer.
pub fn lock(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Round>, DbError> {
    let query = cr::table.filter(cr::id.eq(id).and(cr::village_id.eq(village_id)));
    let row = match conn {
        DbConn::Pg(c) => query.for_update().first::<RoundRow>(c).optional()?,
        DbConn::Sqlite(c) => query.first::<RoundRow>(c).optional()?,
    };
    round(row)
}

/// The round a household can cast in now: the village's open round (newest first).
pub fn open_round(conn: &mut DbConn, village_id: i64) -> Result<Option<Round>, DbError> {
    round(
        cr::table
            .filter(
                cr::village_id
                    .eq(village_id)
                    .and(cr::state.eq(RoundState::Open.as_str())),
            )
            .order(cr::id.desc())
            .first(conn)
            .optional()?,
    )
}

/// Opens a draft round: freezes the roll (every active household at this moment) and records
/// its size and hash, computed from the roll rows themselves. Returns false when the round was
/// no longer a draft (someone else opened it). Call inside a transaction.
pub fn open(conn: &mut DbConn, round: &Round, now: NaiveDateTime) -> Result<bool, DbError> {
    use diesel::sql_types::{BigInt, Timestamp};
    let claimed = diesel::update(
        cr::table.filter(
            cr::id
                .eq(round.id)
                .and(cr::state.eq(RoundState::Draft.as_str())),
        ),
    )
    .set((
        cr::state.eq(RoundState::Open.as_str()),
        cr::opened_at.eq(now),
    ))
    .execute(conn)?;
    if claimed == 0 {
        return Ok(false);
    }
    diesel::insert_into(round_roll::table)
        .values(
            households::table
                .filter(
                    households::village_id
                        .eq(round.village_id)
                        .and(households::status.eq(HouseholdStatus::Active.as_str())),
                )
                .select((
                    round.id.into_sql::<BigInt>(),
                    households::id,
                    households::group_id,
                    now.into_sql::<Timestamp>(),
                )),
        )
        .into_columns((
            round_roll::round_id,
            round_roll::household_id,
            round_roll::group_id,
            round_roll::added_at,
        ))
        .execute(conn)?;
    let numbers = frozen_roll_numbers(conn, round.id)?;
    diesel::update(cr::table.filter(cr::id.eq(round.id)))
        .set((
            cr::roll_size.eq(i32::try_from(numbers.len()).unwrap_or(i32::MAX)),
            cr::roll_hash.eq(roll_hash(&numbers)),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Moves a round from one state to the next; false when it was not in `from` any more.
pub fn advance(
    conn: &mut DbConn,
    round_id: i64,
    from: RoundState,
    to: RoundState,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let target = cr::table.filter(cr::id.eq(round_id).and(cr::state.eq(from.as_str())));
    let moved = match to {
        RoundState::Closed => {
            let moved = diesel::update(target)
                .set((cr::state.eq(to.as_str()), cr::closed_at.eq(now)))
                .execute(conn)?;
            // Counted once, in the closing transaction: nothing it counts can change after.
            if moved == 1 {
                super::tally_store::record(conn, round_id)?;
            }
            moved
        }
        RoundState::Published => diesel::update(target)
            .set((cr::state.eq(to.as_str()), cr::published_at.eq(now)))
            .execute(conn)?,
        _ => 0,
    };
    Ok(moved == 1)
}

/// The group a household votes in for this round, if it is on the roll.
pub fn roll_group(
    conn: &mut DbConn,
    round_id: i64,
    household_id: i64,
) -> Result<Option<i64>, DbError> {
    use crate::db::schema::roll_removals as rm;
    // A household taken off the roll with a reason is no longer on it.
    let removed = rm::table.filter(
        rm::round_id
            .eq(round_id)
            .and(rm::household_id.eq(household_id)),
    );
    Ok(round_roll::table
        .filter(
            round_roll::round_id
                .eq(round_id)
                .and(round_roll::household_id.eq(household_id)),
        )
        .filter(diesel::dsl::not(diesel::dsl::exists(removed)))
        .select(round_roll::group_id)
        .first(conn)
        .optional()?)
}

/// Adds a household registered after opening, with the clerk's reason. The roll hash is not
/// recomputed: it fingerprints the roll as frozen; additions are listed with their reasons.
pub fn add_to_roll(
    conn: &mut DbConn,
    round_id: i64,
    household_id: i64,
    group_id: i64,
    reason: &str,
    staff_id: i64,
) -> Result<bool, DbError> {
    let inserted = diesel::insert_into(round_roll::table)
        .values((
            round_roll::round_id.eq(round_id),
            round_roll::household_id.eq(household_id),
            round_roll::group_id.eq(group_id),
            round_roll::added_reason.eq(reason),
            round_roll::added_by.eq(staff_id),
            round_roll::added_at.eq(crate::db::now()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The roll's household numbers as frozen at opening (later additions excluded), sorted: anyone
/// can hash them and compare with the published roll hash.
pub fn frozen_roll_numbers(conn: &mut DbConn, round_id: i64) -> Result<Vec<String>, DbError> {
    let mut numbers: Vec<String> = round_roll::table
        .inner_join(households::table)
        .filter(
            round_roll::round_id
                .eq(round_id)
                .and(round_roll::added_reason.is_null()),
        )
        .select(households::number)
        .load(conn)?;
    numbers.sort_unstable();
    Ok(numbers)
}

/// Households added after opening: (户号, reason).
pub fn late_additions(conn: &mut DbConn, round_id: i64) -> Result<Vec<(String, String)>, DbError> {
    let rows: Vec<(String, Option<String>)> = round_roll::table
        .inner_join(households::table)
        .filter(
            round_roll::round_id
                .eq(round_id)
                .and(round_roll::added_reason.is_not_null()),
        )
        .select((households::number, round_roll::added_reason))
        .order(households::number)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(n, r)| (n, r.unwrap_or_default()))
        .collect())
}

/// The roll per group; with the stored tally, which counts it the same way at closing.
pub use super::tally_store::roll_by_group;

/// The group of every counted (not voided) ballot.
pub fn counted_ballot_groups(conn: &mut DbConn, round_id: i64) -> Result<Vec<i64>, DbError> {
    Ok(ballots::table
        .filter(
            ballots::round_id
                .eq(round_id)
                .and(ballots::voided_at.is_null()),
        )
        .select(ballots::group_id)
        .load(conn)?)
}

/// A counted suggestion without anything that points to a household.
#[derive(Clone, Debug, Queryable, serde::Serialize)]
pub struct PublicSuggestion {
    pub category: String,
    pub title: String,
    pub details: String,
    pub place: String,
    pub cost_fen: Option<i64>,
}

/// Every counted suggestion (latest version of every ballot not voided), ordered by category
/// and title so the order says nothing about who cast what or when.
pub fn counted_suggestions(
    conn: &mut DbConn,
    round_id: i64,
) -> Result<Vec<PublicSuggestion>, DbError> {
    Ok(suggestions::table
        .inner_join(ballots::table)
        .filter(
            ballots::round_id
                .eq(round_id)
                .and(ballots::voided_at.is_null()),
        )
        .filter(suggestions::version.eq(ballots::version))
        .select((
            suggestions::category,
            suggestions::title,
            suggestions::details,
            suggestions::place,
            suggestions::cost_fen,
        ))
        .order((suggestions::category, suggestions::title, suggestions::id))
        .load(conn)?)
}

/// Receipt codes of counted ballots, sorted.
pub fn receipts(conn: &mut DbConn, round_id: i64) -> Result<Vec<String>, DbError> {
    Ok(ballots::table
        .filter(
            ballots::round_id
                .eq(round_id)
                .and(ballots::voided_at.is_null()),
        )
        .select(ballots::receipt)
        .order(ballots::receipt)
        .load(conn)?)
}

pub fn voided_count(conn: &mut DbConn, round_id: i64) -> Result<i64, DbError> {
    Ok(ballots::table
        .filter(
            ballots::round_id
                .eq(round_id)
                .and(ballots::voided_at.is_not_null()),
        )
        .count()
        .get_result(conn)?)
}
