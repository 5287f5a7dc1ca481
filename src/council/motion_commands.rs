//! Motion commands (the clerk's side): put, open, close, withdraw. Each locks the meeting's row
//! first and re-checks everything it depends on inside its one transaction (see `commands`).
//! Opening takes the motion's roll; closing re-checks the quorum on the attendance at that
//! moment, counts on the roll and stores the tally snapshot; a motion that could not take
//! effect is refused when it is put, so closing never fails on it.

use std::collections::{HashMap, HashSet};

use super::commands::{Who, locked_meeting, repeat_target};
use super::decision::{self, Decision};
use super::domain::MotionKind;
use super::motion_store;
use super::snapshot::{self, NewTally};
use super::states::MotionResult;
use super::store::{self, Meeting, Motion};
use super::tally::{self, Choice, Rule};
use crate::audit::{self, Action};
use crate::council::candidate_store;
use crate::db::{DbConn, in_transaction};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::web::once::{self, Claim};

/// A motion as typed and checked on the form.
pub struct MotionInput {
    pub kind: MotionKind,
    pub text: String,
    pub rule: Rule,
    /// For "approve candidate": the candidate put to the vote, as typed.
    pub candidate: Option<i64>,
    /// For "approve plan": the draft plan put to the vote, as typed.
    pub plan: Option<i64>,
    pub once: String,
}

/// The meeting's motion, or 404.
fn motion_of(conn: &mut DbConn, meeting: &Meeting, id: i64) -> Result<Motion, AppError> {
    store::motion(conn, meeting.id, id)?.ok_or(AppError::NotFound)
}

/// Whether approving `candidate` could still take effect, `except` the motion asking: it is
/// an open candidate (not approved, merged away or rejected) with no other motion about it
/// that is undecided or passed. The candidate's row is locked (across meetings).
fn check_approvable(
    conn: &mut DbConn,
    who: &Who,
    candidate: i64,
    except: Option<&Motion>,
) -> Result<(), AppError> {
    let found = candidate_store::lock(conn, who.village.id, candidate)?
        .ok_or(AppError::Unprocessable("motion.error.candidate"))?;
    if !found.is_open() {
        return Err(AppError::Conflict("motion.error.candidate_decided"));
    }
    // A candidate sorted from a round is voted only once its shortlist has cleared its notice
    // (period over, every objection answered, an upheld one followed by a new notice). A
    // temporary addition (临时新增项目) has no shortlist; the council's result notice covers it.
    if let Some(round) = found.round_id {
        let subject = super::sorting_commands::shortlist_subject(round);
        let gate = crate::notices::store::gate(conn, who.village.id, &subject, crate::db::now())?;
        if let Some(refusal) = shortlist_refusal(gate) {
            return Err(AppError::Conflict(refusal));
        }
    }
    // The motion asking counts itself while it is undecided.
    let others = motion_store::live_or_passed_for_candidate(conn, candidate)?
        .saturating_sub(usize::from(except.is_some_and(|m| !m.is_ended())));
    if others > 0 {
        return Err(AppError::Conflict("motion.error.candidate_pending"));
    }
    Ok(())
}

/// Why the shortlist's gate keeps an approval motion back, as an i18n key; `None` when cleared.
fn shortlist_refusal(gate: crate::notices::domain::Gate) -> Option<&'static str> {
    use crate::notices::domain::Gate;
    match gate {
        Gate::Cleared => None,
        Gate::NotPublished => Some("motion.error.shortlist_unpublished"),
        Gate::InPeriod { .. } => Some("motion.error.shortlist_in_period"),
        Gate::Unanswered { .. } => Some("motion.error.shortlist_unanswered"),
        Gate::Upheld => Some("motion.error.shortlist_upheld"),
    }
}

/// Puts a motion on the meeting's agenda (once per form token). Returns the meeting's page.
pub fn put_motion(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    input: MotionInput,
) -> Result<String, AppError> {
    in_transaction(conn, |conn| {
        let page = who.meeting_page(meeting_id);
        if let Claim::Repeat(path) = once::claim(conn, "motion-put", &input.once)? {
            return Ok(repeat_target(path, page));
        }
        let meeting = locked_meeting(conn, who, meeting_id)?;
        if meeting.is_closed() {
            return Err(AppError::Conflict("meeting.error.closed"));
        }
        let candidate = match input.kind {
            MotionKind::ApproveCandidate => {
                let id = input
                    .candidate
                    .ok_or(AppError::Unprocessable("motion.error.candidate"))?;
                check_approvable(conn, who, id, None)?;
                Some(id)
            }
            _ => None,
        };
        let id = store::create_motion(
            conn,
            meeting.id,
            input.kind,
            &input.text,
            &input.rule,
            candidate,
        )?;
        if input.kind == MotionKind::ApprovePlan {
            let plan = input
                .plan
                .ok_or(AppError::Unprocessable("motion.error.plan"))?;
            crate::projects::commands::put_plan_to_vote(conn, who, plan, id)?;
        }
        audit::record(
            conn,
            who.event(Action::MotionCreate, format!("motion:{id}")),
        )?;
        once::finish(conn, &input.once, &page)?;
        Ok(page)
    })
}

/// Opens a draft motion while the meeting is in session and quorate, and takes its roll: the
/// members now with their names, who is present now, and recusals of members present.
pub fn open_motion(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    motion_id: i64,
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        let motion = motion_of(conn, &meeting, motion_id)?;
        if !meeting.is_open() {
            return Err(AppError::Conflict("meeting.error.not_open"));
        }
        if !motion.is_draft() {
            return Err(AppError::Conflict("motion.error.state"));
        }
        let members = store::members(conn, meeting.village_id, meeting.group_id)?;
        let present: HashSet<i64> = store::present(conn, meeting.id)?
            .into_iter()
            .filter(|id| members.iter().any(|(m, _)| m == id))
            .collect();
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let quorum = quorum_of(&meeting);
        if !tally::quorate(
            count(members.len()),
            count(present.len()),
            quorum.0,
            quorum.1,
        ) {
            return Err(AppError::Conflict("meeting.error.not_quorate"));
        }
        if let Some(candidate) = motion.candidate_id {
            check_approvable(conn, who, candidate, Some(&motion))?;
        }
        let recusals = store::recusals(conn, motion.id)?;
        let size = i32::try_from(members.len()).unwrap_or(i32::MAX);
        if !motion_store::mark_open(conn, motion.id, size)? {
            return Err(AppError::Conflict("motion.error.state"));
        }
        snapshot::take_roll(conn, motion.id, &members, &present, &recusals)?;
        let event = who.event(Action::MotionOpen, format!("motion:{}", motion.id));
        audit::record(
            conn,
            event.detail(format!(
                "members={} present={}",
                members.len(),
                present.len()
            )),
        )?;
        Ok(())
    })
}

fn quorum_of(meeting: &Meeting) -> (u32, u32) {
    (
        u32::try_from(meeting.quorum_numerator).unwrap_or(u32::MAX),
        u32::try_from(meeting.quorum_denominator).unwrap_or(1),
    )
}

/// Counts an open motion on its roll with who is present now (stored on the roll).
fn decide_now(conn: &mut DbConn, meeting: &Meeting, motion: &Motion) -> Result<Decision, AppError> {
    if snapshot::roll(conn, motion.id)?.is_empty() {
        // Opened before rolls were kept: its roll is taken now, the nearest record there is.
        let members = store::members(conn, meeting.village_id, meeting.group_id)?;
        let present = store::present(conn, meeting.id)?;
        let recusals = store::recusals(conn, motion.id)?;
        snapshot::take_roll(conn, motion.id, &members, &present, &recusals)?;
    }
    let present_now = store::present(conn, meeting.id)?;
    snapshot::mark_present_at_close(conn, motion.id, &present_now)?;
    let roll = snapshot::roll(conn, motion.id)?;
    let votes: HashMap<i64, Choice> = store::votes(conn, motion.id)?
        .into_iter()
        .map(|(id, (choice, _))| (id, choice))
        .collect();
    let standings: Vec<tally::Standing> = roll
        .iter()
        .map(|line| snapshot::standing(line, &votes))
        .collect();
    let present = roll
        .iter()
        .filter(|line| line.present_at_close == Some(true))
        .count();
    Ok(decision::decide(
        &motion.rule,
        &standings,
        u32::try_from(present).unwrap_or(u32::MAX),
        quorum_of(meeting),
    ))
}

fn tally_of<'a>(
    d: &Decision,
    result: MotionResult,
    reason: Option<&'a str>,
    by: i64,
) -> NewTally<'a> {
    NewTally {
        result,
        members: d.members,
        present: d.present,
        quorum_needed: d.quorum_needed,
        recused: d.outcome.recused,
        yes: d.outcome.yes,
        no: d.outcome.no,
        abstain: d.outcome.abstain,
        base: d.outcome.base,
        needed: d.outcome.needed,
        withdrawn_reason: reason,
        closed_by: by,
    }
}

/// Closes an open motion: re-checks the quorum on the attendance now (no quorum: lapsed, never
/// passed), counts it on its roll, stores the tally snapshot and the outcome in words, and
/// makes an approved candidate a project.
pub fn close_motion(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    motion_id: i64,
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        let motion = motion_of(conn, &meeting, motion_id)?;
        if !motion.is_open() {
            return Err(AppError::Conflict("motion.error.state"));
        }
        let d = decide_now(conn, &meeting, &motion)?;
        snapshot::record_tally(conn, motion.id, &tally_of(&d, d.result, None, who.staff))?;
        let (zh, en) = (
            d.sentence(&motion.rule, Locale::ZhCn),
            d.sentence(&motion.rule, Locale::En),
        );
        if !motion_store::mark_ended(conn, motion.id, d.passed(), &zh, &en)? {
            return Err(AppError::Conflict("motion.error.state"));
        }
        let o = &d.outcome;
        let event = who.event(Action::MotionClose, format!("motion:{}", motion.id));
        let detail = format!(
            "result={} yes={} needed={} members={} present={} quorum={}",
            d.result.as_str(),
            o.yes,
            o.needed,
            d.members,
            d.present,
            d.quorum_needed
        );
        audit::record(conn, event.detail(detail))?;
        if let (true, Some(candidate)) = (d.passed(), motion.candidate_id) {
            approve_candidate(conn, who, candidate, motion.id)?;
        }
        // A plan motion decides its plan: passed, or failed/lapsed.
        crate::projects::commands::plan_vote_closed(conn, who, motion.id, d.passed())?;
        Ok(())
    })
}

/// An approved candidate becomes a project that plans and spending build on. Putting and
/// opening refused motions that could not take effect; should the candidate have been decided
/// some other way meanwhile, the motion still closes and the audit says why no project came of it.
fn approve_candidate(
    conn: &mut DbConn,
    who: &Who,
    candidate: i64,
    motion: i64,
) -> Result<(), AppError> {
    let Some(found) = candidate_store::lock(conn, who.village.id, candidate)? else {
        return Ok(());
    };
    if !found.is_open() {
        let event = who.event(Action::ProjectApprove, format!("candidate:{candidate}"));
        let detail = format!(
            "motion={motion} not_approved state={}",
            found.state.as_str()
        );
        audit::record(conn, event.detail(detail))?;
        return Ok(());
    }
    crate::projects::commands::create_from_candidate(conn, who, &found, motion)?;
    Ok(())
}

/// Withdraws a draft or open motion with a written reason: it ends, is stated as withdrawn in
/// the minutes and on the public page, and the meeting is never stuck on it.
pub fn withdraw_motion(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    motion_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if !crate::collection::domain::valid_reason(reason) || reason.chars().count() > 500 {
        return Err(AppError::Unprocessable("motion.error.withdraw_reason"));
    }
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        // A closed meeting's record (minutes, public page) is final: nothing is added to it.
        if meeting.is_closed() {
            return Err(AppError::Conflict("meeting.error.closed"));
        }
        let motion = motion_of(conn, &meeting, motion_id)?;
        if motion.is_ended() {
            return Err(AppError::Conflict("motion.error.state"));
        }
        // A draft has no roll and no votes: its tally records nothing counted.
        let d = if motion.is_open() {
            decide_now(conn, &meeting, &motion)?
        } else {
            decision::decide(&motion.rule, &[], 0, quorum_of(&meeting))
        };
        let record = tally_of(&d, MotionResult::Withdrawn, Some(reason), who.staff);
        snapshot::record_tally(conn, motion.id, &record)?;
        let zh = decision::withdrawn_sentence(reason, Locale::ZhCn);
        let en = decision::withdrawn_sentence(reason, Locale::En);
        if !motion_store::mark_ended(conn, motion.id, false, &zh, &en)? {
            return Err(AppError::Conflict("motion.error.state"));
        }
        let event = who.event(Action::MotionClose, format!("motion:{}", motion.id));
        audit::record(
            conn,
            event.detail(format!("result=withdrawn reason={reason}")),
        )?;
        crate::projects::commands::plan_vote_closed(conn, who, motion.id, false)?;
        Ok(())
    })
}
