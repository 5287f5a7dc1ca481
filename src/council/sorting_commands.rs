//! Sorting commands: create (and temporarily add), split and merge candidates, and publish a
//! round's shortlist. Each opens its transaction, locks the round's row (candidates are made
//! and published one at a time per round) and the candidates it changes, re-checks that the
//! round is closed and the candidates still open and not under an approval motion, writes and
//! audits. Create and publish act once per form token.

use diesel::prelude::*;

use super::candidate_store::{self as store, AttachError, Candidate, Sorted};
use super::commands::{Who, repeat_target};
use super::motion_store;
use super::sorting::{self, ValidCandidate};
use crate::audit::{self, Action};
use crate::collection::store::{self as rounds, Round};
use crate::db::schema::collection_rounds as cr;
use crate::db::{DbConn, in_transaction};
use crate::error::AppError;
use crate::notices::domain::Kind;
use crate::web::once::{self, Claim};

/// The page of a round's candidates.
/// The subject of a round's shortlist notice: approval motions for its candidates wait for this
/// notice's gate.
pub fn shortlist_subject(round_id: i64) -> String {
    format!("round:{round_id}")
}

pub fn candidates_page(who: &Who, round: i64) -> String {
    format!("/staff/v/{}/rounds/{round}/candidates", who.village.code)
}

/// Locks the round's row (PostgreSQL; SQLite's write transaction runs alone) and re-reads it:
/// only a closed or published round is sorted.
fn locked_round(conn: &mut DbConn, who: &Who, id: i64) -> Result<Round, AppError> {
    let query = cr::table
        .filter(cr::id.eq(id).and(cr::village_id.eq(who.village.id)))
        .select(cr::id);
    let found: Option<i64> = match conn {
        DbConn::Pg(c) => query.for_update().first(c).optional()?,
        DbConn::Sqlite(c) => query.first(c).optional()?,
    };
    found.ok_or(AppError::NotFound)?;
    let round = rounds::get(conn, who.village.id, id)?.ok_or(AppError::NotFound)?;
    if !round.state().results_visible() {
        return Err(AppError::Conflict("candidate.error.round_open"));
    }
    Ok(round)
}

/// Locks a candidate of the round that is still open to sorting: not decided, not merged, and
/// with no approval motion pending or passed. `closed` is the message when it is decided.
fn sortable(
    conn: &mut DbConn,
    who: &Who,
    round: i64,
    id: i64,
    closed: &'static str,
) -> Result<Candidate, AppError> {
    let candidate = store::lock(conn, who.village.id, id)?
        .filter(|c| c.round_id == Some(round))
        .ok_or(AppError::NotFound)?;
    if !candidate.is_open() {
        return Err(AppError::Conflict(closed));
    }
    if motion_store::live_or_passed_for_candidate(conn, candidate.id)? > 0 {
        return Err(AppError::Conflict("candidate.error.under_vote"));
    }
    Ok(candidate)
}

fn attach_refusal(e: AttachError) -> AppError {
    match e {
        AttachError::NotInRound => AppError::Conflict("candidate.error.not_in_round"),
        AttachError::Taken => AppError::Conflict("candidate.error.taken"),
        AttachError::Db(e) => e.into(),
    }
}

/// Creates a candidate from suggestions of the round, or a temporary one (临时新增项目) without
/// any, once per form token. Returns the page to go to.
pub fn create_candidate(
    conn: &mut DbConn,
    who: &Who,
    round_id: i64,
    valid: &ValidCandidate,
    token: &str,
) -> Result<String, AppError> {
    in_transaction(conn, |conn| {
        let page = candidates_page(who, round_id);
        if let Claim::Repeat(path) = once::claim(conn, "candidate-create", token)? {
            return Ok(repeat_target(path, page));
        }
        locked_round(conn, who, round_id)?;
        let temporary = valid.suggestions.is_empty();
        let id = store::create(conn, who.village.id, round_id, valid, temporary, who.staff)
            .map_err(attach_refusal)?;
        let event = who.event(Action::CandidateCreate, format!("candidate:{id}"));
        let detail = format!(
            "round={round_id} suggestions={} temporary={temporary}",
            valid.suggestions.len()
        );
        audit::record(conn, event.detail(detail))?;
        once::finish(conn, token, &page)?;
        Ok(page)
    })
}

/// Splits the given suggestions off an open candidate into a new one named `title`.
pub fn split_candidate(
    conn: &mut DbConn,
    who: &Who,
    round_id: i64,
    candidate: i64,
    title: &str,
    ids: &[i64],
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        locked_round(conn, who, round_id)?;
        let old = sortable(conn, who, round_id, candidate, "candidate.error.split")?;
        let fresh = ValidCandidate {
            title: title.to_string(),
            description: old.description.clone(),
            category: old.category.clone(),
            group_id: old.group_id,
            rough_cost_fen: None,
            suggestions: Vec::new(),
        };
        let id = store::create(conn, who.village.id, round_id, &fresh, false, who.staff)
            .map_err(attach_refusal)?;
        if store::move_suggestions(conn, old.id, id, ids)? != ids.len() {
            return Err(AppError::Conflict("candidate.error.split"));
        }
        let event = who.event(Action::CandidateSplit, format!("candidate:{}", old.id));
        audit::record(conn, event.detail(format!("new={id} moved={}", ids.len())))?;
        Ok(())
    })
}

/// Merges candidate `from` into `into`; both must be open and not under an approval motion.
pub fn merge_candidates(
    conn: &mut DbConn,
    who: &Who,
    round_id: i64,
    into: i64,
    from: i64,
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        locked_round(conn, who, round_id)?;
        if into == from {
            return Err(AppError::Conflict("candidate.error.merge"));
        }
        // Locked in id order, so two merges of the same pair never wait on each other.
        let (first, second) = (into.min(from), into.max(from));
        let a = sortable(conn, who, round_id, first, "candidate.error.merge")?;
        let b = sortable(conn, who, round_id, second, "candidate.error.merge")?;
        let (into, from) = if a.id == into { (a, b) } else { (b, a) };
        sorting::may_merge(into.id, from.id, into.is_open(), from.is_open())
            .map_err(|_| AppError::Conflict("candidate.error.merge"))?;
        store::merge(conn, into.id, from.id)?;
        let event = who.event(Action::CandidateMerge, format!("candidate:{}", into.id));
        audit::record(conn, event.detail(format!("merged={}", from.id)))?;
        Ok(())
    })
}

/// Publishes the round's shortlist (every open candidate with its support) as a notice about
/// the round, once per form token. Returns the notice's page.
pub fn publish_shortlist(
    conn: &mut DbConn,
    who: &Who,
    round_id: i64,
    token: &str,
) -> Result<String, AppError> {
    in_transaction(conn, |conn| {
        if let Claim::Repeat(path) = once::claim(conn, "shortlist-publish", token)? {
            return Ok(repeat_target(path, candidates_page(who, round_id)));
        }
        let round = locked_round(conn, who, round_id)?;
        let (list, _) = store::sorted(conn, round_id)?;
        let open: Vec<&Sorted> = list.iter().filter(|s| s.candidate.is_open()).collect();
        if open.is_empty() {
            return Err(AppError::Conflict("candidate.error.none"));
        }
        let mut body = format!("{}：候选项目\n\n", round.title);
        for (n, s) in open.iter().enumerate() {
            let mark = if s.candidate.temporary {
                "（临时新增）"
            } else {
                ""
            };
            body.push_str(&format!(
                "{}. {}{mark}（{}）— 支持户数 {}\n",
                n + 1,
                s.candidate.title,
                s.candidate.category,
                s.support
            ));
        }
        let draft = crate::notices::store::Draft {
            village_id: who.village.id,
            kind: Kind::Shortlist,
            title: &format!("{} 候选项目公示", round.title),
            body: &body,
            subject: Some(&shortlist_subject(round_id)),
            supersedes: None,
            created_by: who.staff,
        };
        let notice = crate::notices::store::create_published(conn, &draft, crate::db::now())?;
        let event = who.event(Action::ShortlistPublish, format!("notice:{}", notice.id));
        let detail = format!("round={round_id} candidates={}", open.len());
        audit::record(conn, event.detail(detail))?;
        let page = format!("/v/{}/notices/{}", who.village.code, notice.id);
        once::finish(conn, token, &page)?;
        Ok(page)
    })
}
