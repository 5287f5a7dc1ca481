//! The minutes of a meeting, generated from what was recorded: attendance, each motion with its
//! rule, roll call, recusals and outcome, and the clerk's own notes.

use std::collections::HashMap;

use super::domain::rule_words;
use super::store::{self, Meeting};
use crate::db::{DbConn, DbError};
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
