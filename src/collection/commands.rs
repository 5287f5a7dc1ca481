//! Every change a clerk makes to a round, one command each: creating it (once per form), moving
//! it open → closed → published, adding a late household to the roll and voiding a ballot.
//! Each command runs inside the caller's one transaction and follows the same steps: lock the
//! round ([`store::lock`]), decide with the pure rule on the state it sees now, write, record
//! the audit event. Handlers only extract, call and render. Ballots are in `cast.rs`, paper
//! ballots and sites in `paper_commands.rs`.

use diesel::prelude::*;

use super::CollectionError;
use super::ballot_store as ballots;
use super::domain::{self, RoundAction, RoundState, ValidRound};
use super::paper::EntryState;
use super::paper_store;
use super::store::{self as rounds, Round};
use crate::audit::{self, Action, Actor, Event};
use crate::db::DbConn;
use crate::error::AppError;
use crate::households::domain::Status as HouseholdStatus;
use crate::villages::store::VillageRef;
use crate::web::once::{self, Claim};

/// The clerk acting, for the audit trail.
#[derive(Clone, Debug)]
pub struct Clerk {
    pub staff_id: i64,
    pub village: VillageRef,
    pub address: String,
}

impl Clerk {
    pub(super) fn event(&self, action: Action, subject: String) -> Event<'_> {
        Event::ok(Actor::Staff(self.staff_id), action, subject)
            .in_township(self.village.township_id)
            .from_address(&self.address)
    }
}

/// The clerk's page of a round.
pub fn round_path(village: &VillageRef, round_id: i64) -> String {
    format!("/staff/v/{}/rounds/{round_id}", village.code)
}

/// Locks the round of this village, or says it does not exist (404).
pub(super) fn locked(conn: &mut DbConn, village_id: i64, round_id: i64) -> Result<Round, AppError> {
    Ok(rounds::lock(conn, village_id, round_id)?.ok_or(CollectionError::RoundNotFound)?)
}

/// Creates a draft round; returns the page to go to. The form's one-time token makes a replay,
/// a double click or the back button land on the round the first submission created.
pub fn create_round(
    conn: &mut DbConn,
    by: &Clerk,
    round: &ValidRound,
    token: &str,
) -> Result<String, AppError> {
    if let Claim::Repeat(path) = once::claim(conn, "round:create", token)? {
        return Ok(if path.is_empty() {
            format!("/staff/v/{}/rounds", by.village.code)
        } else {
            path
        });
    }
    let id = rounds::create(conn, by.village.id, round, by.staff_id)?;
    audit::record(conn, by.event(Action::RoundCreate, format!("round:{id}")))?;
    let path = round_path(&by.village, id);
    once::finish(conn, token, &path)?;
    Ok(path)
}

/// Opens, closes or publishes a round. Asked of a round that is not (or no longer) in the state
/// the move starts from, it is refused with a sentence saying where the round stands (409).
pub fn change_state(
    conn: &mut DbConn,
    by: &Clerk,
    round_id: i64,
    action: RoundAction,
) -> Result<(), AppError> {
    let round = locked(conn, by.village.id, round_id)?;
    let Some(next) = domain::next_state(round.state, action) else {
        return Err(AppError::Conflict(domain::refusal_key(round.state, action)));
    };
    if action == RoundAction::Close {
        // Read under the round's lock: no typing can slip in between this check and the close.
        let pending = [EntryState::Waiting, EntryState::Mismatch]
            .into_iter()
            .map(|state| paper_store::entries_in_state(conn, round.id, state))
            .collect::<Result<Vec<_>, _>>()?;
        if pending.iter().any(|entries| !entries.is_empty()) {
            return Err(AppError::Conflict("round.error.paper_pending"));
        }
    }
    // Taken after the lock: a ballot that got the lock first is older than `closed_at`.
    let now = crate::db::now();
    let moved = match next {
        RoundState::Open => {
            let another_open = rounds::open_round(conn, by.village.id)?.is_some();
            if let Some(key) = domain::opening_refusal(round.closes_at, now, another_open) {
                return Err(AppError::Conflict(key));
            }
            // Two rounds opened at once pass the check above under their own locks; the
            // database's one-open-round index refuses the second.
            rounds::open(conn, &round, now).map_err(|err| match err {
                crate::db::DbError::Query(q) if crate::db::is_unique_violation(&q) => {
                    AppError::Conflict("round.error.another_open")
                }
                other => other.into(),
            })?
        }
        other => rounds::advance(conn, round.id, round.state, other, now)?,
    };
    if !moved {
        return Err(AppError::Conflict("round.error.transition"));
    }
    // Published results go on the notice board in the same transaction: both or neither.
    let notice = match action {
        RoundAction::Publish => Some(super::results_notice::post(conn, &round, by.staff_id, now)?),
        RoundAction::Open | RoundAction::Close => None,
    };
    let audit_action = match action {
        RoundAction::Open => Action::RoundOpen,
        RoundAction::Close => Action::RoundClose,
        RoundAction::Publish => Action::RoundPublish,
    };
    let event = by.event(audit_action, format!("round:{round_id}"));
    let event = match notice {
        Some(id) => event.detail(format!("notice={id}")),
        None => event,
    };
    audit::record(conn, event)?;
    Ok(())
}

/// Why a correction was refused; nothing was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The round is not (or no longer) open.
    NotOpen,
    /// No active household of the village has that 户号.
    NoHousehold,
    /// The household is on the roll already.
    AlreadyOnRoll,
    /// The household has no counted ballot in this round.
    NoBallot,
    /// The household is not on the round's roll (or was taken off it already).
    NotOnRoll,
}

impl Refused {
    pub fn message_key(self) -> &'static str {
        match self {
            Refused::NotOpen => "round.error.not_open",
            Refused::NoHousehold => "round.error.no_household",
            Refused::AlreadyOnRoll => "round.error.already_on_roll",
            Refused::NoBallot => "round.error.no_ballot",
            Refused::NotOnRoll => "round.error.not_on_roll",
        }
    }

    /// The round or the roll is already past what was asked (409), rather than the form
    /// naming a household it cannot (422).
    pub fn is_conflict(self) -> bool {
        matches!(
            self,
            Refused::NotOpen | Refused::AlreadyOnRoll | Refused::NotOnRoll
        )
    }
}

/// An active household of the village by 户号: (id, group).
fn active_household(
    conn: &mut DbConn,
    village_id: i64,
    number: &str,
) -> Result<Option<(i64, i64)>, AppError> {
    use crate::db::schema::households as h;
    Ok(h::table
        .filter(
            h::village_id
                .eq(village_id)
                .and(h::number.eq(number))
                .and(h::status.eq(HouseholdStatus::Active.as_str())),
        )
        .select((h::id, h::group_id))
        .first(conn)
        .optional()?)
}

/// Adds a household registered after opening to an open round's roll, with the clerk's
/// reason. `Ok(Some(refused))` is shown on the round page; nothing was written.
pub fn add_to_roll(
    conn: &mut DbConn,
    by: &Clerk,
    round_id: i64,
    number: &str,
    reason: &str,
) -> Result<Option<Refused>, AppError> {
    let round = locked(conn, by.village.id, round_id)?;
    if !domain::accepts_corrections(round.state) {
        return Ok(Some(Refused::NotOpen));
    }
    let Some((household_id, group_id)) = active_household(conn, by.village.id, number)? else {
        return Ok(Some(Refused::NoHousehold));
    };
    if rounds::roll_group(conn, round_id, household_id)?.is_some()
        || !rounds::add_to_roll(conn, round_id, household_id, group_id, reason, by.staff_id)?
    {
        return Ok(Some(Refused::AlreadyOnRoll));
    }
    audit::record(
        conn,
        by.event(Action::RollAdd, format!("round:{round_id}"))
            .detail(format!("household={household_id}")),
    )?;
    Ok(None)
}

/// Voids the counted ballot of a household (by 户号) in an open round, with the clerk's reason;
/// the household may then cast again. `Ok(Some(refused))`: nothing was written.
pub fn void(
    conn: &mut DbConn,
    by: &Clerk,
    round_id: i64,
    number: &str,
    reason: &str,
) -> Result<Option<Refused>, AppError> {
    let round = locked(conn, by.village.id, round_id)?;
    if !domain::accepts_corrections(round.state) {
        return Ok(Some(Refused::NotOpen));
    }
    let Some((household_id, ballot)) =
        ballots::find_by_number(conn, round_id, by.village.id, number)?
    else {
        return Ok(Some(Refused::NoBallot));
    };
    if !ballots::void(conn, round_id, ballot.id, reason, by.staff_id)? {
        return Ok(Some(Refused::NoBallot));
    }
    audit::record(
        conn,
        by.event(Action::BallotVoid, format!("round:{round_id}"))
            .detail(format!("household={household_id} ballot={}", ballot.id)),
    )?;
    Ok(None)
}

/// Takes a household off an open round's frozen roll with the clerk's reason (moved away,
/// merged, registered twice): its counted ballot, if any, is voided with the same reason, every
/// session it has ends, and it can no longer cast online or on paper. The removal is kept for
/// good and counted by reason on the public page.
pub fn remove_from_roll(
    conn: &mut DbConn,
    by: &Clerk,
    round_id: i64,
    number: &str,
    reason: &str,
) -> Result<Option<Refused>, AppError> {
    use crate::db::schema::households as h;
    let round = locked(conn, by.village.id, round_id)?;
    if !domain::accepts_corrections(round.state) {
        return Ok(Some(Refused::NotOpen));
    }
    // Any household of the village by 户号, active or not: a household marked as moved away is
    // exactly the one to take off.
    let household: Option<i64> = h::table
        .filter(h::village_id.eq(by.village.id).and(h::number.eq(number)))
        .select(h::id)
        .first(conn)
        .optional()?;
    let Some(household_id) = household else {
        return Ok(Some(Refused::NoHousehold));
    };
    if rounds::roll_group(conn, round_id, household_id)?.is_none() {
        return Ok(Some(Refused::NotOnRoll));
    }
    let now = crate::db::now();
    if let Some(ballot) = ballots::current(conn, round_id, household_id)? {
        ballots::void(conn, round_id, ballot.id, reason, by.staff_id)?;
    }
    if !super::roll_changes::remove(conn, round_id, household_id, reason, by.staff_id, now)? {
        return Ok(Some(Refused::NotOnRoll));
    }
    crate::auth::sessions::bump(conn, &crate::auth::sessions::household(household_id))?;
    audit::record(
        conn,
        by.event(Action::RollRemove, format!("round:{round_id}"))
            .detail(format!("household={household_id}")),
    )?;
    Ok(None)
}
