//! Commands for paper ballots and collection sites: a clerk's typing of a paper ballot (single
//! entry, or one of the two typings of double entry), reconciling two typings that differ,
//! setting up a site (once per form) and signing its closure certificate. Like every write to a
//! round they lock the round first and decide on the state they see inside the transaction.

use super::ballot::{BallotChannel, Suggestion};
use super::ballot_store::{self as ballots, Casting, Written};
use super::commands::{Clerk, locked, round_path};
use super::domain;
use super::paper::{self, EntryState, NextStep, Typing};
use super::paper_store::{self, Certificate};
use super::store::{self as rounds, Round};
use crate::audit::{self, Action};
use crate::db::DbConn;
use crate::error::AppError;
use crate::web::once::{self, Claim};

/// The refusal sentence for a paper ballot that could not be written.
pub(super) fn refusal(written: &Written) -> &'static str {
    match written {
        Written::SerialUsed => "paper.error.serial_used",
        Written::AlreadyPaper => "paper.error.already_paper",
        _ => "paper.error.changed",
    }
}

/// Posts a paper ballot (single entry, an agreeing second typing, or a reconciliation); any
/// refusal is an error, so the caller's transaction rolls back and no typing is kept without
/// its ballot.
fn post(
    conn: &mut DbConn,
    round: &Round,
    household_id: i64,
    serial: &str,
    site_id: Option<i64>,
    clerk: i64,
    list: &[Suggestion],
) -> Result<String, AppError> {
    let group_id = rounds::roll_group(conn, round.id, household_id)?
        .ok_or(super::CollectionError::NotOnRoll)?;
    let casting = Casting {
        round_id: round.id,
        household_id,
        group_id,
        channel: BallotChannel::Paper,
        paper_serial: Some(serial),
        site_id,
        entered_by: Some(clerk),
    };
    match ballots::write(conn, &casting, 0, list)? {
        Written::Stored { receipt, .. } => Ok(receipt),
        refused => Err(AppError::Conflict(refusal(&refused))),
    }
}

/// Keeps this clerk's typing. `next_step` said the clerk has not typed this serial, under the
/// round's lock, so the unique constraint does not refuse; if it ever did, the refusal says so.
fn keep_typing(
    conn: &mut DbConn,
    round_id: i64,
    household_id: i64,
    typed: &PaperBallot,
    staff_id: i64,
    content: &str,
) -> Result<(), AppError> {
    let kept = paper_store::add_entry(
        conn,
        round_id,
        household_id,
        &typed.serial,
        typed.site_id,
        staff_id,
        content,
    )?;
    kept.map(|_| ())
        .ok_or(AppError::Conflict("paper.error.same_clerk"))
}

/// A typed paper ballot, as the handler extracted and validated it.
#[derive(Clone, Debug)]
pub struct PaperBallot {
    pub round_id: i64,
    pub number: String,
    pub serial: String,
    pub site_id: Option<i64>,
    pub suggestions: Vec<Suggestion>,
}

/// What became of one typing: the i18n key shown above a fresh form, and the receipt code when
/// the paper now counts (the slip the clerk prints for the household).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entered {
    pub message_key: &'static str,
    pub receipt: Option<String>,
}

/// Records one typing of a paper ballot and says what became of it. Refusals are
/// `AppError::Conflict` with their sentence: nothing is written.
pub fn enter(conn: &mut DbConn, by: &Clerk, typed: &PaperBallot) -> Result<Entered, AppError> {
    let round = locked(conn, by.village.id, typed.round_id)?;
    if !domain::accepts_corrections(round.state) {
        return Err(AppError::Conflict("round.error.not_open"));
    }
    // Any household of the village by 户号: whether it may vote is the roll's to say.
    let household: Option<i64> = {
        use crate::db::schema::households as h;
        use diesel::prelude::*;
        h::table
            .filter(
                h::village_id
                    .eq(by.village.id)
                    .and(h::number.eq(&typed.number)),
            )
            .select(h::id)
            .first(conn)
            .optional()?
    };
    let Some(household_id) = household else {
        return Err(AppError::Conflict("paper.error.no_household"));
    };
    if rounds::roll_group(conn, round.id, household_id)?.is_none() {
        return Err(AppError::Conflict("ballot.error.not_on_roll"));
    }
    let (serial, staff_id, site_id) = (typed.serial.as_str(), by.staff_id, typed.site_id);
    let list = &typed.suggestions;
    let event = |detail: String| {
        by.event(Action::PaperEntry, format!("round:{}", round.id))
            .detail(format!("household={household_id} serial={serial} {detail}"))
    };
    if !round.double_entry {
        let receipt = post(conn, &round, household_id, serial, site_id, staff_id, list)?;
        audit::record(conn, event("single".into()))?;
        return Ok(Entered {
            message_key: "paper.done.posted",
            receipt: Some(receipt),
        });
    }
    let entries = paper_store::entries_for_serial(conn, round.id, serial)?;
    let earlier: Vec<paper::Earlier> = entries
        .iter()
        .map(|e| paper::Earlier {
            id: e.id,
            clerk: e.entered_by,
            state: e.state,
        })
        .collect();
    let step = paper::next_step(&earlier, staff_id);
    let typing = Typing {
        household_number: typed.number.clone(),
        suggestions: list.clone(),
    };
    let content = serde_json::to_string(&typing).map_err(|e| AppError::Internal(e.into()))?;
    let mut receipt = None;
    let done = match step {
        NextStep::SameClerk => return Err(AppError::Conflict("paper.error.same_clerk")),
        NextStep::AlreadySettled => return Err(AppError::Conflict("paper.error.settled")),
        NextStep::WaitForSecond => {
            keep_typing(conn, round.id, household_id, typed, staff_id, &content)?;
            "paper.done.waiting"
        }
        NextStep::CompareWith(first_id) => {
            let first: Option<Typing> = entries
                .iter()
                .find(|e| e.id == first_id)
                .and_then(|e| serde_json::from_str(&e.content).ok());
            keep_typing(conn, round.id, household_id, typed, staff_id, &content)?;
            if first.is_some_and(|f| f.agrees_with(&typing)) {
                receipt = Some(post(
                    conn,
                    &round,
                    household_id,
                    serial,
                    site_id,
                    staff_id,
                    list,
                )?);
                paper_store::set_entries_state(
                    conn,
                    round.id,
                    serial,
                    EntryState::Waiting,
                    EntryState::Posted,
                )?;
                "paper.done.posted"
            } else {
                paper_store::set_entries_state(
                    conn,
                    round.id,
                    serial,
                    EntryState::Waiting,
                    EntryState::Mismatch,
                )?;
                "paper.done.mismatch"
            }
        }
    };
    audit::record(conn, event(format!("step={step:?}")))?;
    Ok(Entered {
        message_key: done,
        receipt,
    })
}

/// Posts the typing the clerk chose for a paper whose two typings differ. An entry that is not
/// (or no longer) awaiting reconciliation in this round is not found (404).
pub fn reconcile(
    conn: &mut DbConn,
    by: &Clerk,
    round_id: i64,
    entry_id: i64,
) -> Result<(), AppError> {
    let round = locked(conn, by.village.id, round_id)?;
    if !domain::accepts_corrections(round.state) {
        return Err(AppError::Conflict("round.error.not_open"));
    }
    let chosen = paper_store::entries_in_state(conn, round.id, EntryState::Mismatch)?
        .into_iter()
        .find(|e| e.id == entry_id)
        .ok_or(AppError::NotFound)?;
    if !may_choose(by.staff_id, chosen.entered_by) {
        return Err(AppError::Conflict("reconcile.error.own_typing"));
    }
    let typing: Typing =
        serde_json::from_str(&chosen.content).map_err(|e| AppError::Internal(e.into()))?;
    post(
        conn,
        &round,
        chosen.household_id,
        &chosen.paper_serial,
        chosen.site_id,
        chosen.entered_by,
        &typing.suggestions,
    )?;
    paper_store::set_entries_state(
        conn,
        round.id,
        &chosen.paper_serial,
        EntryState::Mismatch,
        EntryState::Resolved,
    )?;
    audit::record(
        conn,
        by.event(Action::PaperReconcile, format!("round:{}", round.id))
            .detail(format!(
                "serial={} chosen_entry={entry_id}",
                chosen.paper_serial
            )),
    )?;
    Ok(())
}

/// Whether `clerk` may settle a mismatch by choosing the typing `typed_by` made: never their own
/// (¥800 against ¥8,000 is not settled by the one who typed ¥800); the other typist or a third
/// clerk may.
pub fn may_choose(clerk: i64, typed_by: i64) -> bool {
    clerk != typed_by
}

/// The page of a round's sites.
pub fn sites_path(by: &Clerk, round_id: i64) -> String {
    format!("{}/sites", round_path(&by.village, round_id))
}

/// Sets up a collection site; returns the sites page. The form's one-time token makes a
/// replay land there without a second site; a name the round already has is refused.
pub fn create_site(
    conn: &mut DbConn,
    by: &Clerk,
    round_id: i64,
    name: &str,
    token: &str,
) -> Result<String, AppError> {
    let round = locked(conn, by.village.id, round_id)?;
    if let Claim::Repeat(path) = once::claim(conn, "site:create", token)? {
        return Ok(if path.is_empty() {
            sites_path(by, round_id)
        } else {
            path
        });
    }
    if !domain::accepts_new_sites(round.state) {
        return Err(AppError::Conflict("site.error.round_state"));
    }
    let Some(site_id) = paper_store::create_site(conn, round.id, name)? else {
        return Err(AppError::Conflict("site.error.taken"));
    };
    audit::record(
        conn,
        by.event(Action::SiteCreate, format!("round:{round_id}"))
            .detail(format!("site={site_id}")),
    )?;
    let path = sites_path(by, round_id);
    once::finish(conn, token, &path)?;
    Ok(path)
}

/// Signs a site's closure certificate once. A site of another round is not found; a signed one
/// is refused (its certificate never changes).
pub fn certify(
    conn: &mut DbConn,
    by: &Clerk,
    round_id: i64,
    site_id: i64,
    certificate: &Certificate<'_>,
) -> Result<(), AppError> {
    let round = locked(conn, by.village.id, round_id)?;
    if !domain::accepts_certificates(round.state) {
        return Err(AppError::Conflict("site.error.round_state"));
    }
    let site = paper_store::sites(conn, round.id)?
        .into_iter()
        .map(|(site, _)| site)
        .find(|s| s.id == site_id)
        .ok_or(AppError::NotFound)?;
    if site.state() == paper::SiteState::Certified
        || !paper_store::certify(conn, round.id, site_id, certificate, by.staff_id)?
    {
        return Err(AppError::Conflict("site.error.signed"));
    }
    audit::record(
        conn,
        by.event(Action::SiteCertify, format!("site:{site_id}"))
            .detail(format!(
                "issued={} returned={} spoiled={}",
                certificate.issued, certificate.returned, certificate.spoiled
            )),
    )?;
    Ok(())
}
