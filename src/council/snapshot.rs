//! Snapshots of a decision, taken when it happens: the roll of a motion (its members with the
//! names they had, who was present, who recused) when it opens, its tally's inputs and result
//! when it ends, and a meeting's attendance when it closes. Public pages, downloads and minutes
//! are built from these only, so later changes to members, names or attendance never change
//! a decision already taken. Database triggers refuse changing them once the motion is closed.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::states::{AttendanceStatus, MotionResult};
use super::tally::{Choice, Standing};
use crate::db::schema::{meeting_roll as mr, motion_roll as rl, motion_tallies as tl};
use crate::db::{DbConn, DbError};

/// One member on a motion's roll.
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct RollLine {
    pub motion_id: i64,
    pub staff_id: i64,
    pub display_name: String,
    pub present_at_open: bool,
    /// Set when the motion ends.
    pub present_at_close: Option<bool>,
    pub recused: bool,
    pub recusal_reason: Option<String>,
}

/// Takes the roll of a motion that has just opened: every member of the council now, with their
/// name now, whether present now, and their recusal (only a member present may recuse: an
/// absent member's recusal would lower the bar without their being there).
pub fn take_roll(
    conn: &mut DbConn,
    motion: i64,
    members: &[(i64, String)],
    present: &HashSet<i64>,
    recusals: &HashMap<i64, String>,
) -> Result<(), DbError> {
    for (id, name) in members {
        let here = present.contains(id);
        let reason = recusals.get(id).filter(|_| here);
        diesel::insert_into(rl::table)
            .values((
                rl::motion_id.eq(motion),
                rl::staff_id.eq(id),
                rl::display_name.eq(name),
                rl::present_at_open.eq(here),
                rl::recused.eq(reason.is_some()),
                rl::recusal_reason.eq(reason),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn roll(conn: &mut DbConn, motion: i64) -> Result<Vec<RollLine>, DbError> {
    Ok(rl::table
        .filter(rl::motion_id.eq(motion))
        .order((rl::display_name, rl::staff_id))
        .load(conn)?)
}

/// Adds a recusal declared while the motion is open to its roll.
pub fn add_recusal(
    conn: &mut DbConn,
    motion: i64,
    staff: i64,
    reason: &str,
) -> Result<(), DbError> {
    diesel::update(rl::table.filter(rl::motion_id.eq(motion).and(rl::staff_id.eq(staff))))
        .set((rl::recused.eq(true), rl::recusal_reason.eq(reason)))
        .execute(conn)?;
    Ok(())
}

/// Records who on the roll is present as the motion ends.
pub fn mark_present_at_close(
    conn: &mut DbConn,
    motion: i64,
    present: &HashSet<i64>,
) -> Result<(), DbError> {
    let here: Vec<i64> = present.iter().copied().collect();
    diesel::update(rl::table.filter(rl::motion_id.eq(motion)))
        .set(rl::present_at_close.eq(false))
        .execute(conn)?;
    diesel::update(rl::table.filter(rl::motion_id.eq(motion).and(rl::staff_id.eq_any(here))))
        .set(rl::present_at_close.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Where one member of the roll stands at the close: recusal first, then their vote, then
/// whether they are present at the close.
pub fn standing(line: &RollLine, votes: &HashMap<i64, Choice>) -> Standing {
    if line.recused {
        Standing::Recused
    } else if let Some(choice) = votes.get(&line.staff_id) {
        Standing::Voted(*choice)
    } else if line.present_at_close.unwrap_or(line.present_at_open) {
        Standing::PresentSilent
    } else {
        Standing::Absent
    }
}

/// A motion's tally inputs and result.
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct TallyRecord {
    pub motion_id: i64,
    pub result: String,
    pub members: i32,
    pub present: i32,
    pub quorum_needed: i32,
    pub recused: i32,
    pub yes: i32,
    pub no: i32,
    pub abstain: i32,
    pub base: i32,
    pub needed: i32,
    pub withdrawn_reason: Option<String>,
    pub closed_by: i64,
    pub recorded_at: NaiveDateTime,
}

impl TallyRecord {
    pub fn result(&self) -> Result<MotionResult, DbError> {
        MotionResult::parse(&self.result).ok_or_else(|| {
            DbError::unknown("motion_tallies", self.motion_id, "result", &self.result)
        })
    }
}

/// The counts of a tally as written.
pub struct NewTally<'a> {
    pub result: MotionResult,
    pub members: u32,
    pub present: u32,
    pub quorum_needed: u32,
    pub recused: u32,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub base: u32,
    pub needed: u32,
    pub withdrawn_reason: Option<&'a str>,
    pub closed_by: i64,
}

pub fn record_tally(conn: &mut DbConn, motion: i64, t: &NewTally<'_>) -> Result<(), DbError> {
    let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    diesel::insert_into(tl::table)
        .values((
            tl::motion_id.eq(motion),
            tl::result.eq(t.result.as_str()),
            tl::members.eq(int(t.members)),
            tl::present.eq(int(t.present)),
            tl::quorum_needed.eq(int(t.quorum_needed)),
            tl::recused.eq(int(t.recused)),
            tl::yes.eq(int(t.yes)),
            tl::no.eq(int(t.no)),
            tl::abstain.eq(int(t.abstain)),
            tl::base.eq(int(t.base)),
            tl::needed.eq(int(t.needed)),
            tl::withdrawn_reason.eq(t.withdrawn_reason),
            tl::closed_by.eq(t.closed_by),
            tl::recorded_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn tally(conn: &mut DbConn, motion: i64) -> Result<Option<TallyRecord>, DbError> {
    Ok(tl::table.find(motion).first(conn).optional()?)
}

/// Takes a meeting's attendance as it closes, with every member's name then.
pub fn take_meeting_roll(
    conn: &mut DbConn,
    meeting: i64,
    members: &[(i64, String)],
    attendance: &HashMap<i64, AttendanceStatus>,
) -> Result<(), DbError> {
    for (id, name) in members {
        let status = attendance
            .get(id)
            .copied()
            .unwrap_or(AttendanceStatus::Absent);
        diesel::insert_into(mr::table)
            .values((
                mr::meeting_id.eq(meeting),
                mr::staff_id.eq(id),
                mr::display_name.eq(name),
                mr::status.eq(status.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A closed meeting's roll: (member, name then, attendance), by name.
pub fn meeting_roll(
    conn: &mut DbConn,
    meeting: i64,
) -> Result<Vec<(i64, String, AttendanceStatus)>, DbError> {
    mr::table
        .filter(mr::meeting_id.eq(meeting))
        .order((mr::display_name, mr::staff_id))
        .select((mr::staff_id, mr::display_name, mr::status))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, text)| {
            let status = AttendanceStatus::parse(&text).ok_or_else(|| {
                DbError::unknown("meeting_roll", format!("{meeting}/{id}"), "status", &text)
            })?;
            Ok((id, name, status))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(staff_id: i64, at_open: bool, at_close: Option<bool>, recused: bool) -> RollLine {
        RollLine {
            motion_id: 1,
            staff_id,
            display_name: format!("m{staff_id}"),
            present_at_open: at_open,
            present_at_close: at_close,
            recused,
            recusal_reason: recused.then(|| "亲属".to_string()),
        }
    }

    #[test]
    fn standings_put_recusal_before_votes_and_presence_at_the_close() {
        let votes: HashMap<i64, Choice> =
            [(1, Choice::Yes), (2, Choice::No), (4, Choice::Yes)].into();
        let roll = [
            line(1, true, Some(true), false),
            line(2, true, Some(false), false),
            line(3, true, Some(true), false),
            line(4, true, Some(true), true),
            line(5, false, Some(false), false),
            // Arrived after the opening: present at the close, so present without a vote.
            line(6, false, Some(true), false),
        ];
        let standings: Vec<Standing> = roll.iter().map(|l| standing(l, &votes)).collect();
        assert_eq!(
            standings,
            vec![
                Standing::Voted(Choice::Yes),
                Standing::Voted(Choice::No),
                Standing::PresentSilent,
                Standing::Recused,
                Standing::Absent,
                Standing::PresentSilent,
            ]
        );
    }
}
