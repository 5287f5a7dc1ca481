//! Ballots, their versions, paper entries and collection sites in the database. The unique
//! index on (round, household) for ballots that are not voided is what finally guarantees one
//! ballot per household, whatever races between requests or app servers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ballot::{BallotChannel, Suggestion, new_receipt};
use crate::db::schema::{ballots as b, households, suggestions as sg};
use crate::db::{DbConn, DbError, is_unique_violation};

/// The ballot that counts for a household (not voided).
#[derive(Clone, Debug)]
pub struct BallotRow {
    pub id: i64,
    pub channel: BallotChannel,
    pub receipt: String,
    pub version: i32,
    pub paper_serial: Option<String>,
    /// When this version was written (a kiosk session older than this no longer acts).
    pub updated_at: NaiveDateTime,
}

type BallotColumns = (
    b::id,
    b::channel,
    b::receipt,
    b::version,
    b::paper_serial,
    b::updated_at,
);
const BALLOT_COLUMNS: BallotColumns = (
    b::id,
    b::channel,
    b::receipt,
    b::version,
    b::paper_serial,
    b::updated_at,
);

/// A stored channel, or the error naming the ballot whose channel no variant names.
fn channel_of(ballot_id: i64, text: &str) -> Result<BallotChannel, DbError> {
    BallotChannel::parse(text)
        .ok_or_else(|| DbError::unknown("ballots", ballot_id, "channel", text))
}

pub fn current(
    conn: &mut DbConn,
    round_id: i64,
    household_id: i64,
) -> Result<Option<BallotRow>, DbError> {
    let row: Option<(i64, String, String, i32, Option<String>, NaiveDateTime)> = b::table
        .filter(
            b::round_id
                .eq(round_id)
                .and(b::household_id.eq(household_id))
                .and(b::voided_at.is_null()),
        )
        .select(BALLOT_COLUMNS)
        .first(conn)
        .optional()?;
    row.map(
        |(id, channel, receipt, version, paper_serial, updated_at)| {
            Ok(BallotRow {
                id,
                channel: channel_of(id, &channel)?,
                receipt,
                version,
                paper_serial,
                updated_at,
            })
        },
    )
    .transpose()
}

pub fn suggestions_of(
    conn: &mut DbConn,
    ballot_id: i64,
    version: i32,
) -> Result<Vec<Suggestion>, DbError> {
    let rows: Vec<(String, String, String, String, Option<i64>)> = sg::table
        .filter(sg::ballot_id.eq(ballot_id).and(sg::version.eq(version)))
        .order(sg::position)
        .select((
            sg::category,
            sg::title,
            sg::details,
            sg::place,
            sg::cost_fen,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(category, title, details, place, cost_fen)| Suggestion {
            category,
            title,
            details,
            place,
            cost_fen,
        })
        .collect())
}

fn insert_suggestions(
    conn: &mut DbConn,
    ballot_id: i64,
    version: i32,
    list: &[Suggestion],
    now: NaiveDateTime,
) -> Result<(), DbError> {
    for (position, s) in list.iter().enumerate() {
        diesel::insert_into(sg::table)
            .values((
                sg::ballot_id.eq(ballot_id),
                sg::version.eq(version),
                sg::position.eq(i32::try_from(position).unwrap_or(i32::MAX)),
                sg::category.eq(&s.category),
                sg::title.eq(&s.title),
                sg::details.eq(&s.details),
                sg::place.eq(&s.place),
                sg::cost_fen.eq(s.cost_fen),
                sg::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Who is writing a ballot and how.
#[derive(Clone, Debug)]
pub struct Casting<'a> {
    pub round_id: i64,
    pub household_id: i64,
    pub group_id: i64,
    pub channel: BallotChannel,
    pub paper_serial: Option<&'a str>,
    pub site_id: Option<i64>,
    pub entered_by: Option<i64>,
}

/// What happened to a write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// Stored; the receipt and the version that now counts.
    Stored { receipt: String, version: i32 },
    /// The household's ballot is not the one the form was made from (another submission came
    /// first: a double click, a replayed form, another device). Nothing was written.
    Changed,
    /// A paper ballot locks the household's ballot: online revisions are refused.
    PaperLocked,
    /// The paper serial was already used in this round.
    SerialUsed,
    /// The household already has a paper ballot; a clerk must void it before another.
    AlreadyPaper,
}

/// Writes a new ballot when `expected_version` is 0, else a new version of the current one.
/// Call inside a transaction, after locking the round ([`super::store::lock`]) and checking it
/// takes ballots: under that lock no other write to this round runs, so the checks below see
/// everything and the unique indexes are never what refuses (a refused statement would abort
/// a PostgreSQL transaction). A paper ballot replaces an online one and locks it.
pub fn write(
    conn: &mut DbConn,
    c: &Casting<'_>,
    expected_version: i32,
    list: &[Suggestion],
) -> Result<Written, DbError> {
    let now = crate::db::now();
    let existing = current(conn, c.round_id, c.household_id)?;
    let is_paper = c.channel.is_paper();
    if let Some(serial) = c.paper_serial {
        let used: i64 = b::table
            .filter(b::round_id.eq(c.round_id).and(b::paper_serial.eq(serial)))
            .count()
            .get_result(conn)?;
        if used > 0 {
            return Ok(Written::SerialUsed);
        }
    }
    match existing {
        Some(ballot) if ballot.channel.is_paper() => Ok(if is_paper {
            Written::AlreadyPaper
        } else {
            Written::PaperLocked
        }),
        Some(ballot) if !is_paper && ballot.version != expected_version => Ok(Written::Changed),
        Some(ballot) => {
            let version = ballot.version + 1;
            let updated = diesel::update(
                b::table.filter(
                    b::id
                        .eq(ballot.id)
                        .and(b::version.eq(ballot.version))
                        .and(b::voided_at.is_null()),
                ),
            )
            .set((
                b::version.eq(version),
                b::channel.eq(c.channel.as_str()),
                b::paper_serial.eq(c.paper_serial),
                b::site_id.eq(c.site_id),
                b::entered_by.eq(c.entered_by),
                b::updated_at.eq(now),
            ))
            .execute(conn);
            match updated {
                Ok(1) => {}
                Ok(_) => return Ok(Written::Changed),
                Err(e) if is_unique_violation(&e) => return Ok(Written::SerialUsed),
                Err(e) => return Err(e.into()),
            }
            insert_suggestions(conn, ballot.id, version, list, now)?;
            Ok(Written::Stored {
                receipt: ballot.receipt,
                version,
            })
        }
        None if expected_version != 0 && !is_paper => Ok(Written::Changed),
        None => {
            let receipt = new_receipt(&mut rand::rng());
            let inserted = diesel::insert_into(b::table)
                .values((
                    b::round_id.eq(c.round_id),
                    b::household_id.eq(c.household_id),
                    b::group_id.eq(c.group_id),
                    b::channel.eq(c.channel.as_str()),
                    b::receipt.eq(&receipt),
                    b::version.eq(1),
                    b::paper_serial.eq(c.paper_serial),
                    b::site_id.eq(c.site_id),
                    b::entered_by.eq(c.entered_by),
                    b::created_at.eq(now),
                    b::updated_at.eq(now),
                ))
                .returning(b::id)
                .get_result::<i64>(conn);
            match inserted {
                Ok(id) => {
                    insert_suggestions(conn, id, 1, list, now)?;
                    Ok(Written::Stored {
                        receipt,
                        version: 1,
                    })
                }
                // Another submission for this household won the race (the partial unique index),
                // or, far less likely, the serial or the receipt was taken. The caller's
                // transaction is rolled back and the caller looks again.
                Err(e) if is_unique_violation(&e) => Ok(Written::Changed),
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// Voids a counted ballot with the clerk's reason; false when it was already voided or belongs
/// to another round.
pub fn void(
    conn: &mut DbConn,
    round_id: i64,
    ballot_id: i64,
    reason: &str,
    staff_id: i64,
) -> Result<bool, DbError> {
    let n = diesel::update(
        b::table.filter(
            b::id
                .eq(ballot_id)
                .and(b::round_id.eq(round_id))
                .and(b::voided_at.is_null()),
        ),
    )
    .set((
        b::voided_at.eq(crate::db::now()),
        b::voided_by.eq(staff_id),
        b::void_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The counted ballot of a household found by 户号, for the clerk's void form.
pub fn find_by_number(
    conn: &mut DbConn,
    round_id: i64,
    village_id: i64,
    number: &str,
) -> Result<Option<(i64, BallotRow)>, DbError> {
    let household: Option<i64> = households::table
        .filter(
            households::village_id
                .eq(village_id)
                .and(households::number.eq(number)),
        )
        .select(households::id)
        .first(conn)
        .optional()?;
    let Some(household_id) = household else {
        return Ok(None);
    };
    Ok(current(conn, round_id, household_id)?.map(|ballot| (household_id, ballot)))
}

/// Counted ballots by channel, for the clerk's live view: (channel, count).
pub fn channel_counts(
    conn: &mut DbConn,
    round_id: i64,
) -> Result<Vec<(BallotChannel, i64)>, DbError> {
    let rows: Vec<(String, i64)> = b::table
        .filter(b::round_id.eq(round_id).and(b::voided_at.is_null()))
        .group_by(b::channel)
        .select((b::channel, diesel::dsl::count_star()))
        .order(b::channel)
        .load(conn)?;
    rows.into_iter()
        .map(|(channel, n)| {
            let known = BallotChannel::parse(&channel).ok_or_else(|| {
                DbError::unknown("ballots", format!("round {round_id}"), "channel", &channel)
            })?;
            Ok((known, n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_stored_channel_is_an_error_naming_the_ballot() {
        assert_eq!(channel_of(3, "paper").ok(), Some(BallotChannel::Paper));
        let text = channel_of(3, "fax").expect_err("unknown").to_string();
        assert!(
            text.contains("ballots row 3") && text.contains("fax"),
            "{text}"
        );
    }
}
