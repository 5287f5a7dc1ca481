//! The command that writes a household's ballot from the kiosk or its phone, in one
//! transaction: lock the round, check it takes ballots at this moment and the household is on
//! its roll, write the ballot (new, or a new version), record the audit event. A confirmation
//! arriving while or after the round closes waits for the close and is refused: no ballot or
//! suggestion is ever written to a round after its `closed_at`.

use super::CollectionError;
use super::ballot::{BallotChannel, Suggestion};
use super::ballot_store::{self as ballots, Casting, Written};
use super::domain::accepts_ballots;
use super::store as rounds;
use crate::audit::{self, Action, Actor, Event};
use crate::db::DbConn;
use crate::error::AppError;

/// A household's confirmed ballot, as the handler extracted it.
#[derive(Clone, Debug)]
pub struct Cast {
    pub village_id: i64,
    pub township_id: i64,
    pub round_id: i64,
    pub household_id: i64,
    pub channel: BallotChannel,
    /// The ballot version the confirmed form was made from (0 for a first ballot).
    pub expected_version: i32,
    pub suggestions: Vec<Suggestion>,
    pub address: String,
}

/// Writes the ballot; `Written::Stored` or the reason nothing was written. A round that does
/// not take ballots now is `CollectionError::NotAccepting` (409, "collection has closed").
pub fn cast(conn: &mut DbConn, c: &Cast) -> Result<Written, AppError> {
    let round =
        rounds::lock(conn, c.village_id, c.round_id)?.ok_or(CollectionError::NotAccepting)?;
    // The time is taken after the lock, so it is later than any close that came first.
    if round.state == super::domain::RoundState::Open && crate::db::now() < round.opens_at {
        return Err(AppError::Conflict("ballot.error.not_yet_open"));
    }
    if !accepts_ballots(
        round.state,
        round.opens_at,
        round.closes_at,
        crate::db::now(),
    ) {
        return Err(CollectionError::NotAccepting.into());
    }
    let group_id =
        rounds::roll_group(conn, round.id, c.household_id)?.ok_or(CollectionError::NotOnRoll)?;
    let casting = Casting {
        round_id: round.id,
        household_id: c.household_id,
        group_id,
        channel: c.channel,
        paper_serial: None,
        site_id: None,
        entered_by: None,
    };
    let written = ballots::write(conn, &casting, c.expected_version, &c.suggestions)?;
    if let Written::Stored { version, .. } = &written {
        audit::record(
            conn,
            Event::ok(
                Actor::Household(c.household_id),
                Action::BallotCast,
                format!("round:{}", round.id),
            )
            .in_township(c.township_id)
            .from_address(&c.address)
            .detail(format!(
                "channel={} version={version} suggestions={}",
                c.channel.as_str(),
                c.suggestions.len()
            )),
        )?;
    }
    Ok(written)
}
