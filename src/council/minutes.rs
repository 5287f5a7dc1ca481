//! The minutes of a meeting, generated from the snapshots taken as things happened: the
//! meeting's roll, each ended motion with its rule, roll call, recusals and stated outcome, and
//! the clerk's own notes. Once anyone has signed, the text is never regenerated.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::rule_words;
use super::snapshot;
use super::states::{AttendanceStatus, MotionState};
use super::store::{self, Meeting};
use super::tally::Choice;
use crate::db::schema::{minute_signatures as ms, minutes as mn};
use crate::db::{DbConn, DbError, is_unique_violation};
use crate::i18n::Locale;

/// Who chaired the meeting (主持人) and who recorded it (记录人): staff ids with the names they
/// bore when the minutes were written, stored with the minutes and written into their text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Officers {
    pub chair: (i64, String),
    pub recorder: (i64, String),
}

/// The minutes' text (Chinese, the language of the record), written only from what was stored
/// as it happened: the meeting's roll taken when it closed (attendance and names then), and for
/// each motion that ended its roll, votes, recusals and stated outcome. Today's members, names
/// and attendance play no part.
pub fn generate(
    conn: &mut DbConn,
    meeting: &Meeting,
    officers: &Officers,
    notes: &str,
) -> Result<String, DbError> {
    let roll = snapshot::meeting_roll(conn, meeting.id)?;
    let mut text = format!(
        "会议记录\n会议：{}\n时间：{}\n地点：{}\n主持人：{}\n记录人：{}\n应到 {} 人\n",
        meeting.title,
        crate::i18n::format_time(Locale::ZhCn, meeting.starts_at),
        meeting.place,
        officers.chair.1,
        officers.recorder.1,
        roll.len()
    );
    // Attendance over time: a member who was present and left before the close is listed as
    // having left, with the times, never as absent (their votes stand in the record).
    let changes = store::attendance_changes(conn, meeting.id)?;
    let was_present = store::arrived(&changes);
    let left = |id: &i64, s: &AttendanceStatus| {
        *s != AttendanceStatus::Present && was_present.contains(id)
    };
    for (label, status) in [
        ("出席", Some(AttendanceStatus::Present)),
        ("中途离会", None),
        ("缺席", Some(AttendanceStatus::Absent)),
        ("请假", Some(AttendanceStatus::Leave)),
    ] {
        let who: Vec<&str> = roll
            .iter()
            .filter(|(id, _, s)| match status {
                None => left(id, s),
                Some(wanted) => *s == wanted && !left(id, s),
            })
            .map(|(_, n, _)| n.as_str())
            .collect();
        if status.is_some() || !who.is_empty() {
            text.push_str(&format!("{label}（{}）：{}\n", who.len(), who.join("、")));
        }
    }
    let mut timeline = String::new();
    for (id, name, _) in roll.iter().filter(|(id, _, _)| was_present.contains(id)) {
        // From the first arrival on: a status typed before then is no departure.
        let moves: Vec<String> = changes
            .iter()
            .filter(|(m, _, _)| m == id)
            .skip_while(|(_, s, _)| *s != AttendanceStatus::Present)
            .map(|(_, s, at)| {
                let word = if *s == AttendanceStatus::Present {
                    "到会"
                } else {
                    "离会"
                };
                format!("{} {word}", crate::i18n::format_time(Locale::ZhCn, *at))
            })
            .collect();
        timeline.push_str(&format!("{name}：{}\n", moves.join("；")));
    }
    if !timeline.is_empty() {
        text.push_str("到会与离会时间：\n");
        text.push_str(&timeline);
    }
    for (n, motion) in store::motions(conn, meeting.id)?
        .iter()
        .enumerate()
        .filter(|(_, m)| m.is_ended())
    {
        text.push_str(&format!(
            "\n议题 {}：{}\n表决规则：{}\n",
            n + 1,
            motion.text,
            rule_words(&motion.rule, crate::i18n::Locale::ZhCn)
        ));
        let motion_roll = snapshot::roll(conn, motion.id)?;
        // Who was present when its voting opened: the motion's own attendance.
        let at_open: Vec<&str> = motion_roll
            .iter()
            .filter(|l| l.present_at_open)
            .map(|l| l.display_name.as_str())
            .collect();
        if motion.opened_at.is_some() {
            text.push_str(&format!(
                "表决开始时到会（{}）：{}\n",
                at_open.len(),
                at_open.join("、")
            ));
        }
        let names: HashMap<i64, String> = motion_roll
            .into_iter()
            .map(|l| (l.staff_id, l.display_name))
            .collect();
        let name = |id: &i64| names.get(id).map_or("?", String::as_str).to_string();
        let votes = store::votes(conn, motion.id)?;
        let mut roll: Vec<String> = votes
            .iter()
            .map(|(id, (choice, by_clerk))| {
                let word = match choice {
                    Choice::Yes => "赞成",
                    Choice::No => "反对",
                    Choice::Abstain => "弃权",
                };
                let how = if *by_clerk {
                    "（举手表决，由记录人登记）"
                } else {
                    ""
                };
                format!("{}：{word}{how}", name(id))
            })
            .collect();
        roll.sort();
        text.push_str(&format!("记名表决：{}\n", roll.join("；")));
        let mut recused: Vec<String> = snapshot::roll(conn, motion.id)?
            .into_iter()
            .filter(|l| l.recused)
            .map(|l| {
                let reason = l.recusal_reason.unwrap_or_default();
                format!("回避：{}（{reason}）\n", l.display_name)
            })
            .collect();
        recused.sort();
        text.push_str(&recused.concat());
        let state = match motion.state {
            MotionState::Withdrawn => "已撤回",
            MotionState::Lapsed => "未达法定人数",
            _ => "已表决",
        };
        text.push_str(&format!(
            "结果（{state}）：{}\n",
            motion.outcome_zh.as_deref().unwrap_or("")
        ));
    }
    if !notes.trim().is_empty() {
        text.push_str(&format!("\n记录人说明：\n{}\n", notes.trim()));
    }
    Ok(text)
}

#[derive(Clone, Debug, Queryable)]
pub struct Minutes {
    pub meeting_id: i64,
    pub body: String,
    pub clerk_notes: String,
    pub content_hash: Option<String>,
    pub locked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// Chair and recorder; `None` only on minutes written before they were named.
    pub chair_id: Option<i64>,
    pub chair_name: Option<String>,
    pub recorder_id: Option<i64>,
    pub recorder_name: Option<String>,
}

pub fn minutes(conn: &mut DbConn, meeting: i64) -> Result<Option<Minutes>, DbError> {
    Ok(mn::table
        .filter(mn::meeting_id.eq(meeting))
        .first(conn)
        .optional()?)
}

/// Writes (or rewrites, while nobody has signed) the minutes' text; false once anyone signed
/// or they are locked: a signed text is never replaced (the caller checks first, under the
/// meeting's lock).
pub fn save_minutes(
    conn: &mut DbConn,
    meeting: i64,
    body: &str,
    officers: &Officers,
    notes: &str,
) -> Result<bool, DbError> {
    let named = (
        mn::chair_id.eq(officers.chair.0),
        mn::chair_name.eq(&officers.chair.1),
        mn::recorder_id.eq(officers.recorder.0),
        mn::recorder_name.eq(&officers.recorder.1),
    );
    match minutes(conn, meeting)? {
        Some(m) if m.locked_at.is_some() => Ok(false),
        Some(_) if !signatures(conn, meeting)?.is_empty() => Ok(false),
        Some(_) => {
            diesel::update(
                mn::table.filter(mn::meeting_id.eq(meeting).and(mn::locked_at.is_null())),
            )
            .set((mn::body.eq(body), mn::clerk_notes.eq(notes), named))
            .execute(conn)?;
            Ok(true)
        }
        None => {
            diesel::insert_into(mn::table)
                .values((
                    mn::meeting_id.eq(meeting),
                    mn::body.eq(body),
                    mn::clerk_notes.eq(notes),
                    mn::created_at.eq(crate::db::now()),
                    named,
                ))
                .execute(conn)?;
            Ok(true)
        }
    }
}

/// The name a staff account bears now, to keep with minutes it is named on.
pub fn staff_name(conn: &mut DbConn, staff: i64) -> Result<Option<String>, DbError> {
    use crate::db::schema::staff::dsl as st;
    Ok(st::staff
        .filter(st::id.eq(staff))
        .select(st::display_name)
        .first(conn)
        .optional()?)
}

pub fn sign(conn: &mut DbConn, meeting: i64, staff: i64) -> Result<bool, DbError> {
    match diesel::insert_into(ms::table)
        .values((
            ms::meeting_id.eq(meeting),
            ms::staff_id.eq(staff),
            ms::signed_at.eq(crate::db::now()),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub fn signatures(conn: &mut DbConn, meeting: i64) -> Result<HashSet<i64>, DbError> {
    Ok(ms::table
        .filter(ms::meeting_id.eq(meeting))
        .select(ms::staff_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect())
}

/// Records that a member present refused to sign (拒签), with the reason; false when a
/// refusal of this member is recorded already.
pub fn refuse(
    conn: &mut DbConn,
    meeting: i64,
    staff: i64,
    reason: &str,
    recorded_by: i64,
) -> Result<bool, DbError> {
    use crate::db::schema::minute_refusals as mr;
    match diesel::insert_into(mr::table)
        .values((
            mr::meeting_id.eq(meeting),
            mr::staff_id.eq(staff),
            mr::reason.eq(reason),
            mr::recorded_by.eq(recorded_by),
            mr::recorded_at.eq(crate::db::now()),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Refusals to sign a meeting's minutes: member → reason.
pub fn refusals(conn: &mut DbConn, meeting: i64) -> Result<HashMap<i64, String>, DbError> {
    use crate::db::schema::minute_refusals as mr;
    Ok(mr::table
        .filter(mr::meeting_id.eq(meeting))
        .select((mr::staff_id, mr::reason))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// Locks the minutes with their hash; they never change afterwards (a trigger refuses it).
pub fn lock(conn: &mut DbConn, meeting: i64, hash: &str) -> Result<bool, DbError> {
    Ok(
        diesel::update(mn::table.filter(mn::meeting_id.eq(meeting).and(mn::locked_at.is_null())))
            .set((
                mn::content_hash.eq(hash),
                mn::locked_at.eq(crate::db::now()),
            ))
            .execute(conn)?
            == 1,
    )
}
