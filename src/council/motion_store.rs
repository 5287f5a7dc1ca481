//! Motions in the database. A motion's kind, rule and state are read into enums here; a stored
//! value the code does not know is an error naming the row. Its state is the row's `state`
//! together with the result of its tally snapshot (closed, lapsed or withdrawn).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::MotionKind;
use super::states::MotionState;
use super::tally::{Base, Rule};
use crate::db::schema::{motion_tallies as tl, motions as mo};
use crate::db::{DbConn, DbError};
use crate::i18n::Locale;

#[derive(Clone, Debug)]
pub struct Motion {
    pub id: i64,
    pub meeting_id: i64,
    pub kind: MotionKind,
    pub text: String,
    pub rule: Rule,
    pub state: MotionState,
    pub members_at_open: Option<i32>,
    pub opened_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub passed: Option<bool>,
    pub outcome_zh: Option<String>,
    pub outcome_en: Option<String>,
    pub created_at: NaiveDateTime,
    pub candidate_id: Option<i64>,
}

#[derive(Queryable)]
struct MotionRow {
    id: i64,
    meeting_id: i64,
    kind: String,
    text: String,
    rule_base: String,
    rule_numerator: i32,
    rule_denominator: i32,
    rule_strict: bool,
    rule_min_yes: i32,
    state: String,
    members_at_open: Option<i32>,
    opened_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    passed: Option<bool>,
    outcome_zh: Option<String>,
    outcome_en: Option<String>,
    created_at: NaiveDateTime,
    candidate_id: Option<i64>,
}

/// A stored count that must be a positive u32.
fn positive(id: i64, column: &'static str, value: i32) -> Result<u32, DbError> {
    u32::try_from(value)
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| DbError::unknown("motions", id, column, &value.to_string()))
}

impl MotionRow {
    fn into_motion(self, result: Option<&str>) -> Result<Motion, DbError> {
        let id = self.id;
        let kind = MotionKind::parse(&self.kind)
            .ok_or_else(|| DbError::unknown("motions", id, "kind", &self.kind))?;
        let base = Base::parse(&self.rule_base)
            .ok_or_else(|| DbError::unknown("motions", id, "rule_base", &self.rule_base))?;
        let rule = Rule {
            base,
            numerator: positive(id, "rule_numerator", self.rule_numerator)?,
            denominator: positive(id, "rule_denominator", self.rule_denominator)?,
            strict: self.rule_strict,
            min_yes: positive(id, "rule_min_yes", self.rule_min_yes)?,
        };
        let state = MotionState::from_stored(&self.state, result).ok_or_else(|| {
            let shown = format!("{}/{}", self.state, result.unwrap_or("-"));
            DbError::unknown("motions", id, "state", &shown)
        })?;
        Ok(Motion {
            id,
            meeting_id: self.meeting_id,
            kind,
            text: self.text,
            rule,
            state,
            members_at_open: self.members_at_open,
            opened_at: self.opened_at,
            closed_at: self.closed_at,
            passed: self.passed,
            outcome_zh: self.outcome_zh,
            outcome_en: self.outcome_en,
            created_at: self.created_at,
            candidate_id: self.candidate_id,
        })
    }
}

impl Motion {
    pub fn kind(&self) -> MotionKind {
        self.kind
    }
    pub fn rule(&self) -> Rule {
        self.rule
    }
    /// The i18n key of the motion's state.
    pub fn state_key(&self) -> &'static str {
        self.state.label_key()
    }
    pub fn is_draft(&self) -> bool {
        self.state == MotionState::Draft
    }
    pub fn is_open(&self) -> bool {
        self.state == MotionState::Open
    }
    /// Closed, lapsed or withdrawn.
    pub fn is_ended(&self) -> bool {
        self.state.ended()
    }
    pub fn passed(&self) -> bool {
        self.passed == Some(true)
    }
    pub fn outcome(&self, locale: Locale) -> Option<&str> {
        match locale {
            Locale::ZhCn => self.outcome_zh.as_deref(),
            Locale::En => self.outcome_en.as_deref(),
        }
    }
}

fn typed(rows: Vec<(MotionRow, Option<String>)>) -> Result<Vec<Motion>, DbError> {
    rows.into_iter()
        .map(|(row, result)| row.into_motion(result.as_deref()))
        .collect()
}

pub fn create_motion(
    conn: &mut DbConn,
    meeting: i64,
    kind: MotionKind,
    text: &str,
    rule: &Rule,
    candidate: Option<i64>,
) -> Result<i64, DbError> {
    let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    Ok(diesel::insert_into(mo::table)
        .values((
            mo::meeting_id.eq(meeting),
            mo::kind.eq(kind.as_str()),
            mo::text.eq(text),
            mo::rule_base.eq(rule.base.as_str()),
            mo::rule_numerator.eq(int(rule.numerator)),
            mo::rule_denominator.eq(int(rule.denominator)),
            mo::rule_strict.eq(rule.strict),
            mo::rule_min_yes.eq(int(rule.min_yes)),
            mo::state.eq("draft"),
            mo::created_at.eq(crate::db::now()),
            mo::candidate_id.eq(candidate),
        ))
        .returning(mo::id)
        .get_result(conn)?)
}

// Each read joins the tally's result in the same statement: a read racing with a close sees
// the motion open without a tally, or closed with it, never a mix.
pub fn motions(conn: &mut DbConn, meeting: i64) -> Result<Vec<Motion>, DbError> {
    typed(
        mo::table
            .left_join(tl::table.on(tl::motion_id.eq(mo::id)))
            .filter(mo::meeting_id.eq(meeting))
            .select((mo::all_columns, tl::result.nullable()))
            .order(mo::id)
            .load(conn)?,
    )
}

pub fn motion(conn: &mut DbConn, meeting: i64, id: i64) -> Result<Option<Motion>, DbError> {
    Ok(typed(
        mo::table
            .left_join(tl::table.on(tl::motion_id.eq(mo::id)))
            .filter(mo::id.eq(id).and(mo::meeting_id.eq(meeting)))
            .select((mo::all_columns, tl::result.nullable()))
            .load(conn)?,
    )?
    .pop())
}

/// Motions about a candidate that are not ended, or that passed: while one exists, another
/// approval motion for the candidate could not take effect.
pub fn live_or_passed_for_candidate(conn: &mut DbConn, candidate: i64) -> Result<usize, DbError> {
    let rows = mo::table
        .left_join(tl::table.on(tl::motion_id.eq(mo::id)))
        .filter(mo::candidate_id.eq(candidate))
        .select((mo::all_columns, tl::result.nullable()))
        .load(conn)?;
    Ok(typed(rows)?
        .iter()
        .filter(|m| !m.is_ended() || m.passed())
        .count())
}

/// Draft → open, with the number of members then. False when it was not a draft.
pub fn mark_open(conn: &mut DbConn, id: i64, members: i32) -> Result<bool, DbError> {
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

/// Ends a draft or open motion with its outcome in words (its tally snapshot is written just
/// before). False when it had ended already.
pub fn mark_ended(
    conn: &mut DbConn,
    id: i64,
    passed: bool,
    outcome_zh: &str,
    outcome_en: &str,
) -> Result<bool, DbError> {
    Ok(
        diesel::update(mo::table.filter(mo::id.eq(id).and(mo::state.eq_any(["draft", "open"]))))
            .set((
                mo::state.eq("closed"),
                mo::closed_at.eq(crate::db::now()),
                mo::passed.eq(passed),
                mo::outcome_zh.eq(outcome_zh),
                mo::outcome_en.eq(outcome_en),
            ))
            .execute(conn)?
            == 1,
    )
}
