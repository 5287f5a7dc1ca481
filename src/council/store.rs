//! Meetings, attendance, motions, recusals, votes and minutes in the database. The primary key
//! (motion, member) on votes is what finally guarantees one vote per member per motion.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{self, MotionKind};
use super::tally::{self, Base, Choice, Outcome, Rule};
use crate::db::schema::{
    attendance as at, meetings as mt, motions as mo, recusals as rc, role_assignments as ra,
    staff as st, votes as vt,
};
use crate::db::{DbConn, DbError, is_unique_violation};
use crate::i18n::Locale;

/// A council's members: active staff holding the council-member role for the village (the
/// village council) or for one group (that group's council, 小组议事会).
pub fn members(
    conn: &mut DbConn,
    village_id: i64,
    group_id: Option<i64>,
) -> Result<Vec<(i64, String)>, DbError> {
    let scoped = ra::table
        .inner_join(st::table)
        .filter(ra::role.eq("council_member").and(st::active.eq(true)))
        .filter(crate::accounts::store::in_term(crate::db::now()))
        .into_boxed();
    let scoped = match group_id {
        Some(group) => scoped.filter(ra::group_id.eq(group)),
        None => scoped.filter(ra::village_id.eq(village_id)),
    };
    let mut list: Vec<(i64, String)> = scoped.select((st::id, st::display_name)).load(conn)?;
    list.sort();
    list.dedup();
    Ok(list)
}

#[derive(Clone, Debug, Queryable)]
pub struct Meeting {
    pub id: i64,
    pub village_id: i64,
    pub group_id: Option<i64>,
    pub title: String,
    pub place: String,
    pub starts_at: NaiveDateTime,
    pub state: String,
    pub quorum_numerator: i32,
    pub quorum_denominator: i32,
    pub convened_by: i64,
    pub created_at: NaiveDateTime,
}

impl Meeting {
    /// The i18n key of the meeting's state.
    pub fn state_key(&self) -> &'static str {
        match self.state.as_str() {
            "open" => "meeting.state.open",
            "closed" => "meeting.state.closed",
            _ => "meeting.state.scheduled",
        }
    }
}

pub struct NewMeeting<'a> {
    pub village_id: i64,
    /// None: the village council; else the group's council.
    pub group_id: Option<i64>,
    pub title: &'a str,
    pub place: &'a str,
    pub starts_at: NaiveDateTime,
    pub quorum: (i32, i32),
    pub convened_by: i64,
}

pub fn create_meeting(conn: &mut DbConn, m: &NewMeeting<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(mt::table)
        .values((
            mt::village_id.eq(m.village_id),
            mt::group_id.eq(m.group_id),
            mt::title.eq(m.title),
            mt::place.eq(m.place),
            mt::starts_at.eq(m.starts_at),
            mt::state.eq("scheduled"),
            mt::quorum_numerator.eq(m.quorum.0),
            mt::quorum_denominator.eq(m.quorum.1),
            mt::convened_by.eq(m.convened_by),
            mt::created_at.eq(crate::db::now()),
        ))
        .returning(mt::id)
        .get_result(conn)?)
}

pub fn meetings(conn: &mut DbConn, village_id: i64) -> Result<Vec<Meeting>, DbError> {
    Ok(mt::table
        .filter(mt::village_id.eq(village_id))
        .order(mt::starts_at.desc())
        .load(conn)?)
}

pub fn meeting(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Meeting>, DbError> {
    Ok(mt::table
        .filter(mt::id.eq(id).and(mt::village_id.eq(village_id)))
        .first(conn)
        .optional()?)
}

/// Moves a meeting from one state to another; false when it was not in `from`.
pub fn set_meeting_state(
    conn: &mut DbConn,
    id: i64,
    from: &str,
    to: &str,
) -> Result<bool, DbError> {
    Ok(
        diesel::update(mt::table.filter(mt::id.eq(id).and(mt::state.eq(from))))
            .set(mt::state.eq(to))
            .execute(conn)?
            == 1,
    )
}

pub fn set_attendance(
    conn: &mut DbConn,
    meeting: i64,
    staff: i64,
    status: &str,
    recorder: i64,
) -> Result<(), DbError> {
    let now = crate::db::now();
    let updated =
        diesel::update(at::table.filter(at::meeting_id.eq(meeting).and(at::staff_id.eq(staff))))
            .set((
                at::status.eq(status),
                at::recorded_by.eq(recorder),
                at::recorded_at.eq(now),
            ))
            .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(at::table)
            .values((
                at::meeting_id.eq(meeting),
                at::staff_id.eq(staff),
                at::status.eq(status),
                at::recorded_by.eq(recorder),
                at::recorded_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Members recorded present at a meeting.
pub fn present(conn: &mut DbConn, meeting: i64) -> Result<HashSet<i64>, DbError> {
    Ok(at::table
        .filter(at::meeting_id.eq(meeting).and(at::status.eq("present")))
        .select(at::staff_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect())
}

pub fn attendance(conn: &mut DbConn, meeting: i64) -> Result<HashMap<i64, String>, DbError> {
    Ok(at::table
        .filter(at::meeting_id.eq(meeting))
        .select((at::staff_id, at::status))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

#[derive(Clone, Debug, Queryable)]
pub struct Motion {
    pub id: i64,
    pub meeting_id: i64,
    pub kind_text: String,
    pub text: String,
    pub rule_base: String,
    pub rule_numerator: i32,
    pub rule_denominator: i32,
    pub rule_strict: bool,
    pub rule_min_yes: i32,
    pub state: String,
    pub members_at_open: Option<i32>,
    pub opened_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub passed: Option<bool>,
    pub outcome_zh: Option<String>,
    pub outcome_en: Option<String>,
    pub created_at: NaiveDateTime,
    pub candidate_id: Option<i64>,
}

impl Motion {
    pub fn kind(&self) -> MotionKind {
        MotionKind::parse(&self.kind_text).unwrap_or(MotionKind::General)
    }
    pub fn rule(&self) -> Rule {
        Rule {
            base: Base::parse(&self.rule_base).unwrap_or(Base::AllMembers),
            numerator: u32::try_from(self.rule_numerator).unwrap_or(1),
            denominator: u32::try_from(self.rule_denominator).unwrap_or(2),
            strict: self.rule_strict,
            min_yes: u32::try_from(self.rule_min_yes).unwrap_or(1),
        }
    }
    /// The i18n key of the motion's state.
    pub fn state_key(&self) -> &'static str {
        match self.state.as_str() {
            "open" => "motion.state.open",
            "closed" => "motion.state.closed",
            _ => "motion.state.draft",
        }
    }

    pub fn outcome(&self, locale: Locale) -> Option<&str> {
        match locale {
            Locale::ZhCn => self.outcome_zh.as_deref(),
            Locale::En => self.outcome_en.as_deref(),
        }
    }
}

pub fn create_motion(
    conn: &mut DbConn,
    meeting: i64,
    kind: MotionKind,
    text: &str,
    rule: &Rule,
    candidate: Option<i64>,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(mo::table)
        .values((
            mo::meeting_id.eq(meeting),
            mo::kind.eq(kind.as_str()),
            mo::text.eq(text),
            mo::rule_base.eq(rule.base.as_str()),
            mo::rule_numerator.eq(i32::try_from(rule.numerator).unwrap_or(1)),
            mo::rule_denominator.eq(i32::try_from(rule.denominator).unwrap_or(2)),
            mo::rule_strict.eq(rule.strict),
            mo::rule_min_yes.eq(i32::try_from(rule.min_yes).unwrap_or(1)),
            mo::state.eq("draft"),
            mo::created_at.eq(crate::db::now()),
            mo::candidate_id.eq(candidate),
        ))
        .returning(mo::id)
        .get_result(conn)?)
}

pub fn motions(conn: &mut DbConn, meeting: i64) -> Result<Vec<Motion>, DbError> {
    Ok(mo::table
        .filter(mo::meeting_id.eq(meeting))
        .order(mo::id)
        .load(conn)?)
}

pub fn motion(conn: &mut DbConn, meeting: i64, id: i64) -> Result<Option<Motion>, DbError> {
    Ok(mo::table
        .filter(mo::id.eq(id).and(mo::meeting_id.eq(meeting)))
        .first(conn)
        .optional()?)
}

pub fn open_motion(conn: &mut DbConn, id: i64, members: i32) -> Result<bool, DbError> {
    Ok(
        diesel::update(mo::table.filter(mo::id.eq(id).and(mo::state.eq("draft"))))
            .set((
                mo::state.eq("open"),
                mo::opened_at.eq(crate::db::now()),
                mo::members_at_open.eq(members),
            ))
            .execute(conn)?
            == 1,
    )
}

/// Declares a recusal; false when the member had already declared one for this motion.
pub fn recuse(conn: &mut DbConn, motion: i64, staff: i64, reason: &str) -> Result<bool, DbError> {
    match diesel::insert_into(rc::table)
        .values((
            rc::motion_id.eq(motion),
            rc::staff_id.eq(staff),
            rc::reason.eq(reason),
            rc::declared_at.eq(crate::db::now()),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub fn recusals(conn: &mut DbConn, motion: i64) -> Result<HashMap<i64, String>, DbError> {
    Ok(rc::table
        .filter(rc::motion_id.eq(motion))
        .select((rc::staff_id, rc::reason))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// Records a vote; false when this member's vote on this motion exists already.
pub fn cast(
    conn: &mut DbConn,
    motion: i64,
    staff: i64,
    choice: Choice,
    recorded_by: Option<i64>,
) -> Result<bool, DbError> {
    match diesel::insert_into(vt::table)
        .values((
            vt::motion_id.eq(motion),
            vt::staff_id.eq(staff),
            vt::choice.eq(choice.as_str()),
            vt::recorded_by.eq(recorded_by),
            vt::cast_at.eq(crate::db::now()),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Votes on a motion: member → (choice, recorded by the clerk for a show of hands).
pub fn votes(conn: &mut DbConn, motion: i64) -> Result<HashMap<i64, (Choice, bool)>, DbError> {
    let rows: Vec<(i64, String, Option<i64>)> = vt::table
        .filter(vt::motion_id.eq(motion))
        .select((vt::staff_id, vt::choice, vt::recorded_by))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, c, by)| Some((s, (Choice::parse(&c)?, by.is_some()))))
        .collect())
}

/// Closes an open motion: counts it with the stored rule and stores the outcome in words.
/// Returns None when it was not open.
pub fn close_motion(
    conn: &mut DbConn,
    motion: &Motion,
    members: &[i64],
    present: &HashSet<i64>,
) -> Result<Option<Outcome>, DbError> {
    let recused: HashSet<i64> = recusals(conn, motion.id)?.into_keys().collect();
    let votes: HashMap<i64, Choice> = votes(conn, motion.id)?
        .into_iter()
        .map(|(s, (c, _))| (s, c))
        .collect();
    let rule = motion.rule();
    let outcome = tally::tally(
        &rule,
        &domain::standings(members, present, &recused, &votes),
    );
    let closed = diesel::update(mo::table.filter(mo::id.eq(motion.id).and(mo::state.eq("open"))))
        .set((
            mo::state.eq("closed"),
            mo::closed_at.eq(crate::db::now()),
            mo::passed.eq(outcome.passed),
            mo::outcome_zh.eq(tally::explain(&rule, &outcome, Locale::ZhCn)),
            mo::outcome_en.eq(tally::explain(&rule, &outcome, Locale::En)),
        ))
        .execute(conn)?;
    Ok((closed == 1).then_some(outcome))
}

// The minutes' own queries live with the minutes; they are re-exported here for callers.
pub use super::minutes::{Minutes, lock, minutes, save_minutes, sign, signatures};
