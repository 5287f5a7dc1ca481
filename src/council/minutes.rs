//! The minutes of a meeting, generated from what was recorded: attendance, each motion with its
//! rule, roll call, recusals and outcome, and the clerk's own notes.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::rule_words;
use super::store::{self, Meeting};
use crate::db::schema::{minute_signatures as ms, minutes as mn};
use crate::db::{DbConn, DbError, is_unique_violation};
use crate::i18n::Locale;

/// The minutes' text (Chinese, the language of the record).
pub fn generate(conn: &mut DbConn, meeting: &Meeting, notes: &str) -> Result<String, DbError> {
    let members = store::members(conn, meeting.village_id, meeting.group_id)?;
    let names: HashMap<i64, &str> = members.iter().map(|(id, n)| (*id, n.as_str())).collect();
    let attendance = store::attendance(conn, meeting.id)?;
    let mut text = format!(
        "会议记录\n会议：{}\n时间：{}\n地点：{}\n应到 {} 人\n",
        meeting.title,
        crate::i18n::format_time(Locale::ZhCn, meeting.starts_at),
        meeting.place,
        members.len()
    );
    for (label, status) in [("出席", "present"), ("缺席", "absent"), ("请假", "leave")] {
        let who: Vec<&str> = members
            .iter()
            .filter(|(id, _)| attendance.get(id).map(String::as_str) == Some(status))
            .map(|(_, n)| n.as_str())
            .collect();
        text.push_str(&format!("{label}（{}）：{}\n", who.len(), who.join("、")));
    }
    for (n, motion) in store::motions(conn, meeting.id)?
        .iter()
        .enumerate()
        .filter(|(_, m)| m.state == "closed")
    {
        text.push_str(&format!(
            "\n议题 {}：{}\n表决规则：{}\n",
            n + 1,
            motion.text,
            rule_words(&motion.rule())
        ));
        let votes = store::votes(conn, motion.id)?;
        let mut roll: Vec<String> = votes
            .iter()
            .map(|(id, (choice, by_clerk))| {
                let word = match choice.as_str() {
                    "yes" => "赞成",
                    "no" => "反对",
                    _ => "弃权",
                };
                format!(
                    "{}：{word}{}",
                    names.get(id).unwrap_or(&"?"),
                    if *by_clerk {
                        "（举手表决，由记录人登记）"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        roll.sort();
        text.push_str(&format!("记名表决：{}\n", roll.join("；")));
        for (id, reason) in store::recusals(conn, motion.id)? {
            text.push_str(&format!(
                "回避：{}（{reason}）\n",
                names.get(&id).unwrap_or(&"?")
            ));
        }
        text.push_str(&format!(
            "结果：{}\n",
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
}

pub fn minutes(conn: &mut DbConn, meeting: i64) -> Result<Option<Minutes>, DbError> {
    Ok(mn::table
        .filter(mn::meeting_id.eq(meeting))
        .first(conn)
        .optional()?)
}

/// Writes (or rewrites, while unsigned) the minutes' text; false once they are locked.
pub fn save_minutes(
    conn: &mut DbConn,
    meeting: i64,
    body: &str,
    notes: &str,
) -> Result<bool, DbError> {
    match minutes(conn, meeting)? {
        Some(m) if m.locked_at.is_some() => Ok(false),
        Some(_) => {
            diesel::update(
                mn::table.filter(mn::meeting_id.eq(meeting).and(mn::locked_at.is_null())),
            )
            .set((mn::body.eq(body), mn::clerk_notes.eq(notes)))
            .execute(conn)?;
            // Rewritten minutes need every signature again.
            diesel::delete(ms::table.filter(ms::meeting_id.eq(meeting))).execute(conn)?;
            Ok(true)
        }
        None => {
            diesel::insert_into(mn::table)
                .values((
                    mn::meeting_id.eq(meeting),
                    mn::body.eq(body),
                    mn::clerk_notes.eq(notes),
                    mn::created_at.eq(crate::db::now()),
                ))
                .execute(conn)?;
            Ok(true)
        }
    }
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
