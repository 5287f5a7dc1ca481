//! A collection round as the code sees it: its state an enum, converted from the stored text at
//! the store's boundary. A stored state no variant names is an error naming the round, never
//! read as some default.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::RoundState;
use crate::db::DbError;

/// A round as stored, its state still text: read only through [`Round::try_from`].
#[derive(Clone, Debug, Queryable)]
pub(super) struct RoundRow {
    pub(super) id: i64,
    pub(super) village_id: i64,
    pub(super) title: String,
    pub(super) year: i32,
    pub(super) opens_at: NaiveDateTime,
    pub(super) closes_at: NaiveDateTime,
    pub(super) min_suggestions: i32,
    pub(super) max_suggestions: i32,
    pub(super) categories_text: String,
    pub(super) double_entry: bool,
    pub(super) state: String,
    pub(super) roll_size: Option<i32>,
    pub(super) roll_hash: Option<String>,
    pub(super) opened_at: Option<NaiveDateTime>,
    pub(super) closed_at: Option<NaiveDateTime>,
    pub(super) published_at: Option<NaiveDateTime>,
    pub(super) created_by: i64,
    pub(super) created_at: NaiveDateTime,
}

#[derive(Clone, Debug)]
pub struct Round {
    pub id: i64,
    pub village_id: i64,
    pub title: String,
    pub year: i32,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub min_suggestions: i32,
    pub max_suggestions: i32,
    pub categories_text: String,
    pub double_entry: bool,
    pub state: RoundState,
    pub roll_size: Option<i32>,
    pub roll_hash: Option<String>,
    pub opened_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

impl TryFrom<RoundRow> for Round {
    type Error = DbError;

    fn try_from(r: RoundRow) -> Result<Round, DbError> {
        let state = RoundState::parse(&r.state)
            .ok_or_else(|| DbError::unknown("collection_rounds", r.id, "state", &r.state))?;
        Ok(Round {
            id: r.id,
            village_id: r.village_id,
            title: r.title,
            year: r.year,
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            min_suggestions: r.min_suggestions,
            max_suggestions: r.max_suggestions,
            categories_text: r.categories_text,
            double_entry: r.double_entry,
            state,
            roll_size: r.roll_size,
            roll_hash: r.roll_hash,
            opened_at: r.opened_at,
            closed_at: r.closed_at,
            published_at: r.published_at,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

impl Round {
    pub fn state(&self) -> RoundState {
        self.state
    }

    pub fn categories(&self) -> Vec<String> {
        self.categories_text.lines().map(str::to_string).collect()
    }
}

pub(super) fn rounds(rows: Vec<RoundRow>) -> Result<Vec<Round>, DbError> {
    rows.into_iter().map(Round::try_from).collect()
}

pub(super) fn round(row: Option<RoundRow>) -> Result<Option<Round>, DbError> {
    row.map(Round::try_from).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(state: &str) -> RoundRow {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("valid time");
        RoundRow {
            id: 7,
            village_id: 1,
            title: "征集".into(),
            year: 2027,
            opens_at: at,
            closes_at: at,
            min_suggestions: 1,
            max_suggestions: 3,
            categories_text: "照明\n其他".into(),
            double_entry: false,
            state: state.into(),
            roll_size: None,
            roll_hash: None,
            opened_at: None,
            closed_at: None,
            published_at: None,
            created_by: 1,
            created_at: at,
        }
    }

    #[test]
    fn a_known_state_reads_as_its_variant() {
        let round = Round::try_from(row("closed")).expect("known state");
        assert_eq!(round.state(), RoundState::Closed);
        assert_eq!(round.categories(), vec!["照明", "其他"]);
    }

    #[test]
    fn an_unknown_state_is_an_error_naming_the_round() {
        let err = Round::try_from(row("archived")).expect_err("unknown state");
        let text = err.to_string();
        assert!(
            text.contains("collection_rounds") && text.contains('7') && text.contains("archived"),
            "{text}"
        );
        assert!(
            rounds(vec![row("open"), row("")]).is_err(),
            "one bad row fails the list"
        );
    }
}
