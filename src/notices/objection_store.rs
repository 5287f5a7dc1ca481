//! Objections (异议) in the database: filing, listing, the one written answer, the overdue
//! list. Channel and answer outcome are enums at this boundary (`states.rs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain;
use super::states::{AnswerOutcome, ObjectionChannel, ObjectionState};
use crate::db::schema::{notices as n, objections as o};
use crate::db::{DbConn, DbError};

/// An objection as stored, channel and outcome still raw: read only through
/// [`Objection::try_from`].
#[derive(Clone, Debug, Queryable)]
pub(super) struct ObjectionRow {
    id: i64,
    notice_id: i64,
    household_id: i64,
    channel: String,
    body: String,
    recorded_by: Option<i64>,
    filed_at: NaiveDateTime,
    answer_due_at: NaiveDateTime,
    answer: Option<String>,
    upheld: Option<bool>,
    answered_by: Option<i64>,
    answered_at: Option<NaiveDateTime>,
    reminded_at: Option<NaiveDateTime>,
}

#[derive(Clone, Debug)]
pub struct Objection {
    pub id: i64,
    pub notice_id: i64,
    pub household_id: i64,
    pub channel: ObjectionChannel,
    pub body: String,
    pub recorded_by: Option<i64>,
    pub filed_at: NaiveDateTime,
    pub answer_due_at: NaiveDateTime,
    pub answer: Option<String>,
    pub state: ObjectionState,
    pub answered_by: Option<i64>,
    pub answered_at: Option<NaiveDateTime>,
    pub reminded_at: Option<NaiveDateTime>,
}

impl TryFrom<ObjectionRow> for Objection {
    type Error = DbError;

    fn try_from(r: ObjectionRow) -> Result<Objection, DbError> {
        let channel = ObjectionChannel::parse(&r.channel)
            .ok_or_else(|| DbError::unknown("objections", r.id, "channel", &r.channel))?;
        let answered = r.answered_at.is_some() && r.answer.is_some();
        let state = ObjectionState::of(answered, r.upheld).ok_or_else(|| {
            let stored = format!("answered={answered} upheld={:?}", r.upheld);
            DbError::unknown("objections", r.id, "upheld", &stored)
        })?;
        Ok(Objection {
            id: r.id,
            notice_id: r.notice_id,
            household_id: r.household_id,
            channel,
            body: r.body,
            recorded_by: r.recorded_by,
            filed_at: r.filed_at,
            answer_due_at: r.answer_due_at,
            answer: r.answer,
            state,
            answered_by: r.answered_by,
            answered_at: r.answered_at,
            reminded_at: r.reminded_at,
        })
    }
}

impl Objection {
    pub fn is_upheld(&self) -> bool {
        self.state == ObjectionState::Answered(AnswerOutcome::Upheld)
    }
    pub fn is_answered(&self) -> bool {
        matches!(self.state, ObjectionState::Answered(_))
    }
}

#[cfg(test)]
impl ObjectionRow {
    /// Objection row 5 as stored, answered at `answered_at` (with an answer text) or not.
    pub(super) fn for_test(
        channel: &str,
        answered_at: Option<NaiveDateTime>,
        upheld: Option<bool>,
    ) -> ObjectionRow {
        let at = answered_at.unwrap_or_default();
        ObjectionRow {
            id: 5,
            notice_id: 12,
            household_id: 3,
            channel: channel.into(),
            body: "异议".into(),
            recorded_by: None,
            filed_at: at,
            answer_due_at: at,
            answer: answered_at.map(|_| "答复".to_string()),
            upheld,
            answered_by: None,
            answered_at,
            reminded_at: None,
        }
    }
}

fn objections(rows: Vec<ObjectionRow>) -> Result<Vec<Objection>, DbError> {
    rows.into_iter().map(Objection::try_from).collect()
}

pub struct Filing<'a> {
    pub notice_id: i64,
    pub household_id: i64,
    pub channel: ObjectionChannel,
    pub body: &'a str,
    pub recorded_by: Option<i64>,
}

pub fn file(conn: &mut DbConn, f: &Filing<'_>, now: NaiveDateTime) -> Result<i64, DbError> {
    Ok(diesel::insert_into(o::table)
        .values((
            o::notice_id.eq(f.notice_id),
            o::household_id.eq(f.household_id),
            o::channel.eq(f.channel.as_str()),
            o::body.eq(f.body),
            o::recorded_by.eq(f.recorded_by),
            o::filed_at.eq(now),
            o::answer_due_at.eq(domain::period_end(now, domain::ANSWER_DAYS)),
        ))
        .returning(o::id)
        .get_result(conn)?)
}

/// Objections a household filed since `since` (for the flood limit).
pub fn filed_since(
    conn: &mut DbConn,
    household_id: i64,
    since: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(o::table
        .filter(o::household_id.eq(household_id).and(o::filed_at.ge(since)))
        .count()
        .get_result(conn)?)
}

pub fn objections_of(conn: &mut DbConn, notice_id: i64) -> Result<Vec<Objection>, DbError> {
    objections(
        o::table
            .filter(o::notice_id.eq(notice_id))
            .order(o::id)
            .load(conn)?,
    )
}

/// Answers an objection once; false when it was answered already or is not of this notice.
/// Only ever changes an unanswered row: an answer is never edited.
pub fn answer(
    conn: &mut DbConn,
    notice_id: i64,
    id: i64,
    text: &str,
    outcome: AnswerOutcome,
    staff: i64,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let n = diesel::update(
        o::table.filter(
            o::id
                .eq(id)
                .and(o::notice_id.eq(notice_id))
                .and(o::answered_at.is_null()),
        ),
    )
    .set((
        o::answer.eq(text),
        o::upheld.eq(outcome.upheld()),
        o::answered_by.eq(staff),
        o::answered_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Unanswered objections past their due time in a village: (notice, objection).
pub fn overdue(
    conn: &mut DbConn,
    village_id: i64,
    now: NaiveDateTime,
) -> Result<Vec<(i64, Objection)>, DbError> {
    let rows: Vec<ObjectionRow> = o::table
        .inner_join(n::table)
        .filter(
            n::village_id
                .eq(village_id)
                .and(o::answered_at.is_null())
                .and(o::answer_due_at.le(now)),
        )
        .select(o::all_columns)
        .order(o::answer_due_at)
        .load(conn)?;
    Ok(objections(rows)?
        .into_iter()
        .map(|r| (r.notice_id, r))
        .collect())
}
