//! Voting commands: a member's vote on their phone, the clerk's record of a show of hands, a
//! recusal, and a member's signature on the minutes. Each locks the meeting's row first, so a
//! vote racing with the close either is counted or is refused with 409 (never stored after),
//! and a signature racing with a regeneration signs the text shown or nothing (see `commands`).

use std::collections::{HashMap, HashSet};

use super::commands::{Who, locked_meeting};
use super::domain::{self, Eligibility, VoteRefusal};
use super::snapshot::{self, RollLine};
use super::states::AttendanceStatus;
use super::store::{self, Meeting, Motion};
use super::tally::Choice;
use crate::audit::{self, Action};
use crate::db::{DbConn, in_transaction};
use crate::error::AppError;

fn motion_of(conn: &mut DbConn, meeting: &Meeting, id: i64) -> Result<Motion, AppError> {
    store::motion(conn, meeting.id, id)?.ok_or(AppError::NotFound)
}

/// Refuses a write on a motion that is not open; one that has ended says so plainly.
fn require_open(motion: &Motion) -> Result<(), AppError> {
    if motion.is_ended() {
        return Err(AppError::Conflict("vote.error.closed"));
    }
    if !motion.is_open() {
        return Err(AppError::Conflict("vote.error.not_open"));
    }
    Ok(())
}

/// A member votes on an open motion: on its roll, present now, not recused, not voted yet.
pub fn cast_vote(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    motion_id: i64,
    choice: Choice,
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        let motion = motion_of(conn, &meeting, motion_id)?;
        require_open(&motion)?;
        let roll = snapshot::roll(conn, motion.id)?;
        let line = roll.iter().find(|l| l.staff_id == who.staff);
        let existing = store::votes(conn, motion.id)?.get(&who.staff).copied();
        let eligibility = Eligibility {
            member: line.is_some(),
            motion_open: true,
            present: store::present(conn, meeting.id)?.contains(&who.staff),
            recused: line.is_some_and(|l| l.recused),
            voted: existing.is_some(),
            recorded_by_clerk: existing.is_some_and(|(_, by_clerk)| by_clerk),
        };
        domain::may_vote(eligibility).map_err(|r| AppError::Conflict(r.message_key()))?;
        store::cast(conn, motion.id, who.staff, choice, None)?;
        audit::record(
            conn,
            who.event(Action::VoteCast, format!("motion:{}", motion.id)),
        )?;
        Ok(())
    })
}

/// A line of a show of hands that was not recorded, and why (an i18n key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotRecorded {
    pub member: String,
    pub reason: &'static str,
}

/// Why a show-of-hands line for a member on the roll cannot be recorded.
fn hand_refusal(refusal: VoteRefusal) -> &'static str {
    match refusal {
        VoteRefusal::NotMember => "hands.error.not_member",
        VoteRefusal::MotionNotOpen => "vote.error.not_open",
        VoteRefusal::NotPresent => "hands.error.not_present",
        VoteRefusal::Recused => "hands.error.recused",
        VoteRefusal::AlreadyVoted => "hands.error.already",
        VoteRefusal::RecordedByClerk => "hands.error.already_recorded",
    }
}

/// The clerk records a show of hands: each line (member id, choice) is checked like a
/// member's own vote; the lines that pass are recorded and the others are returned with their
/// reason, so the clerk is told. A line left at "—" (empty choice) is no line.
pub fn show_of_hands(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    motion_id: i64,
    lines: &[(String, String)],
) -> Result<Vec<NotRecorded>, AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        let motion = motion_of(conn, &meeting, motion_id)?;
        require_open(&motion)?;
        let roll: Vec<RollLine> = snapshot::roll(conn, motion.id)?;
        let present = store::present(conn, meeting.id)?;
        // Member → recorded by the clerk; a line for someone who voted on their phone is refused.
        let mut voted: HashMap<i64, bool> = store::votes(conn, motion.id)?
            .into_iter()
            .map(|(id, (_, by_clerk))| (id, by_clerk))
            .collect();
        let mut refused = Vec::new();
        let mut recorded = 0;
        for (member, value) in lines {
            if value.trim().is_empty() {
                continue;
            }
            let line = member
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|id| roll.iter().find(|l| l.staff_id == id));
            let Some(line) = line else {
                let member = member.trim().to_string();
                refused.push(NotRecorded {
                    member,
                    reason: "hands.error.not_member",
                });
                continue;
            };
            let name = line.display_name.clone();
            let Some(choice) = Choice::parse(value.trim()) else {
                refused.push(NotRecorded {
                    member: name,
                    reason: "hands.error.choice",
                });
                continue;
            };
            let eligibility = Eligibility {
                member: true,
                motion_open: true,
                present: present.contains(&line.staff_id),
                recused: line.recused,
                voted: voted.contains_key(&line.staff_id),
                recorded_by_clerk: voted.get(&line.staff_id).copied().unwrap_or(false),
            };
            if let Err(refusal) = domain::may_vote(eligibility) {
                refused.push(NotRecorded {
                    member: name,
                    reason: hand_refusal(refusal),
                });
                continue;
            }
            store::cast(conn, motion.id, line.staff_id, choice, Some(who.staff))?;
            voted.insert(line.staff_id, true);
            recorded += 1;
        }
        let event = who.event(Action::VoteRecord, format!("motion:{}", motion.id));
        let detail = format!("show_of_hands={recorded} not_recorded={}", refused.len());
        audit::record(conn, event.detail(detail))?;
        Ok(refused)
    })
}

/// A member recuses themself from a draft or open motion, with a reason. Only a member present
/// may recuse (an absent member's recusal would lower the bar without them there), and not
/// after voting. On an open motion the recusal is added to its roll.
pub fn recuse(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    motion_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        if meeting.is_closed() {
            return Err(AppError::Conflict("meeting.error.closed"));
        }
        let motion = motion_of(conn, &meeting, motion_id)?;
        if motion.is_ended() {
            return Err(AppError::Conflict("motion.error.state"));
        }
        let member = if motion.is_open() {
            snapshot::roll(conn, motion.id)?
                .iter()
                .any(|l| l.staff_id == who.staff)
        } else {
            store::members(conn, meeting.village_id, meeting.group_id)?
                .iter()
                .any(|(id, _)| *id == who.staff)
        };
        if !member {
            return Err(AppError::Conflict("vote.error.not_member"));
        }
        if !store::present(conn, meeting.id)?.contains(&who.staff) {
            return Err(AppError::Conflict("recusal.error.not_present"));
        }
        if store::votes(conn, motion.id)?.contains_key(&who.staff) {
            return Err(AppError::Conflict("recusal.error.voted"));
        }
        if store::recusals(conn, motion.id)?.contains_key(&who.staff) {
            return Err(AppError::Conflict("recusal.error.already"));
        }
        store::recuse(conn, motion.id, who.staff, reason)?;
        if motion.is_open() {
            snapshot::add_recusal(conn, motion.id, who.staff, reason)?;
        }
        audit::record(
            conn,
            who.event(Action::MotionRecuse, format!("motion:{}", motion.id)),
        )?;
        Ok(())
    })
}

/// Who signs a closed meeting's minutes: the members present by its roll (taken when it
/// closed), or by the attendance for a meeting closed before rolls were kept.
pub fn signers(conn: &mut DbConn, meeting: i64) -> Result<HashSet<i64>, AppError> {
    let roll = snapshot::meeting_roll(conn, meeting)?;
    if roll.is_empty() {
        return Ok(store::present(conn, meeting)?);
    }
    Ok(roll
        .into_iter()
        .filter(|(_, _, s)| *s == AttendanceStatus::Present)
        .map(|(id, _, _)| id)
        .collect())
}

/// A member present signs the minutes whose SHA-256 they were shown. Signing refuses (409)
/// when the minutes were regenerated since; when every member present has signed, the minutes
/// lock with their hash and are published as a council-result notice.
pub fn sign_minutes(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    shown_hash: &str,
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        let minutes =
            store::minutes(conn, meeting.id)?.ok_or(AppError::Conflict("minutes.error.none"))?;
        if minutes.locked_at.is_some() {
            return Err(AppError::Conflict("minutes.error.locked"));
        }
        let present = signers(conn, meeting.id)?;
        if !present.contains(&who.staff) {
            return Err(AppError::Conflict("minutes.error.not_present"));
        }
        let hash = domain::minutes_hash(&minutes.body);
        if hash != shown_hash.trim() {
            return Err(AppError::Conflict("minutes.error.changed"));
        }
        if store::refusals(conn, meeting.id)?.contains_key(&who.staff) {
            return Err(AppError::Conflict("minutes.error.refused"));
        }
        if !store::sign(conn, meeting.id, who.staff)? {
            return Err(AppError::Conflict("minutes.error.signed"));
        }
        let subject = format!("meeting:{}", meeting.id);
        audit::record(
            conn,
            who.event(Action::MinutesSign, subject.clone())
                .detail(format!("sha256={hash}")),
        )?;
        super::minutes_commands::lock_when_answered(conn, who, &meeting, &minutes.body, &present)?;
        Ok(())
    })
}

/// One motion as a member sees their own part in it.
pub struct MyStanding {
    pub motion: i64,
    /// My vote and whether the clerk recorded it from a show of hands.
    pub vote: Option<(Choice, bool)>,
    pub recused: bool,
}

/// Each motion of a meeting → my vote (and who recorded it), I recused; for a member's page.
pub fn my_standing(
    conn: &mut DbConn,
    motions: &[i64],
    me: i64,
) -> Result<Vec<MyStanding>, AppError> {
    let mut out = Vec::new();
    for id in motions {
        let votes: HashMap<i64, (Choice, bool)> = store::votes(conn, *id)?;
        out.push(MyStanding {
            motion: *id,
            vote: votes.get(&me).copied(),
            recused: store::recusals(conn, *id)?.contains_key(&me),
        });
    }
    Ok(out)
}
