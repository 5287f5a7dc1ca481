//! The rules of reviews as plain functions over plain types: states and kinds (`states`), the
//! half-year and which projects belong to it (`period`), rates and the threshold (`rates`), and
//! the checks of the clerk's and the household's forms (here).

pub mod period;
pub mod rates;
pub mod states;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

pub use rates::{Counts, Rate, THRESHOLD};
pub use states::{Formula, Half, ItemKind, Rating, ResponseChannel, ReviewAction, ReviewState};

use crate::validation::FieldErrors;

/// The longest item title and comment a form takes (characters).
pub const MAX_TITLE: usize = 120;
pub const MAX_COMMENT: usize = 500;
pub const MAX_TEXT: usize = 2000;

/// The clerk's form creating a review, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    pub year: String,
    pub half: String,
    pub opens_at: String,
    pub closes_at: String,
    /// Free items, one per line (村务公开工作, the committee's work …).
    pub free_items: String,
    pub once: String,
}

/// A review as checked.
#[derive(Clone, Debug)]
pub struct ValidReview {
    pub year: i32,
    pub half: Half,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub free_items: Vec<String>,
}

pub fn validate_review(form: &ReviewForm) -> Result<ValidReview, FieldErrors> {
    let mut errors = FieldErrors::new();
    let year = form
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.add("year", "review.error.year");
    }
    let half = Half::parse(form.half.trim());
    if half.is_none() {
        errors.add("half", "review.error.half");
    }
    let opens_at = crate::time::parse_local(&form.opens_at);
    let closes_at = crate::time::parse_local(&form.closes_at);
    if opens_at.is_none() {
        errors.add("opens_at", "review.error.time");
    }
    match (opens_at, closes_at) {
        (_, None) => errors.add("closes_at", "review.error.time"),
        (Some(o), Some(c)) if c <= o => errors.add("closes_at", "review.error.order"),
        _ => {}
    }
    let free_items: Vec<String> = form
        .free_items
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if free_items.len() > 20 || free_items.iter().any(|t| t.chars().count() > MAX_TITLE) {
        errors.add("free_items", "review.error.free_items");
    }
    match (year, half, opens_at, closes_at) {
        (Some(year), Some(half), Some(opens_at), Some(closes_at)) if errors.is_empty() => {
            Ok(ValidReview {
                year,
                half,
                opens_at,
                closes_at,
                free_items,
            })
        }
        _ => Err(errors),
    }
}

/// One item's answer as checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemAnswer {
    pub item_id: i64,
    pub rating: Rating,
    pub comment: Option<String>,
}

/// Checks a response: every item rated (不了解 is a rating), comments short. `typed` holds, per
/// item id, the rating and comment as sent. Errors are keyed by the item's field name.
pub fn validate_response(
    item_ids: &[i64],
    typed: &[(i64, String, String)],
) -> Result<Vec<ItemAnswer>, Vec<(i64, &'static str)>> {
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for id in item_ids {
        let sent = typed.iter().find(|(i, _, _)| i == id);
        let rating = sent.and_then(|(_, r, _)| Rating::parse(r.trim()));
        let comment = sent
            .map(|(_, _, c)| c.trim().to_string())
            .filter(|c| !c.is_empty());
        match rating {
            None => errors.push((*id, "review.error.rating")),
            Some(_)
                if comment
                    .as_ref()
                    .is_some_and(|c| c.chars().count() > MAX_COMMENT) =>
            {
                errors.push((*id, "review.error.comment"))
            }
            Some(rating) => answers.push(ItemAnswer {
                item_id: *id,
                rating,
                comment,
            }),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// The committee's record of a re-consultation, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReconsultForm {
    pub held_on: String,
    pub method: String,
    pub heard: String,
    pub changes: String,
}

#[derive(Clone, Debug)]
pub struct ValidReconsult {
    pub held_on: NaiveDate,
    pub method: String,
    pub heard: String,
    pub changes: String,
}

pub fn validate_reconsult(form: &ReconsultForm) -> Result<ValidReconsult, FieldErrors> {
    let mut errors = FieldErrors::new();
    let held_on = NaiveDate::parse_from_str(form.held_on.trim(), "%Y-%m-%d").ok();
    if held_on.is_none() {
        errors.add("held_on", "review.error.date");
    }
    let text = |errors: &mut FieldErrors, field: &'static str, value: &str| {
        let v = value.trim();
        if v.is_empty() || v.chars().count() > MAX_TEXT {
            errors.add(field, "review.error.text");
        }
        v.to_string()
    };
    let method = text(&mut errors, "method", &form.method);
    let heard = text(&mut errors, "heard", &form.heard);
    let changes = text(&mut errors, "changes", &form.changes);
    match held_on {
        Some(held_on) if errors.is_empty() => Ok(ValidReconsult {
            held_on,
            method,
            heard,
            changes,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_needs_a_half_year_and_times_in_order() {
        let mut form = ReviewForm {
            year: "2026".into(),
            half: "first".into(),
            opens_at: "2026-07-01T08:00".into(),
            closes_at: "2026-07-15T18:00".into(),
            free_items: "村务公开工作\n\n村委会工作\n".into(),
            once: String::new(),
        };
        let valid = validate_review(&form).expect("valid");
        assert_eq!(valid.free_items, vec!["村务公开工作", "村委会工作"]);
        form.closes_at = "2026-06-30T08:00".into();
        form.half = "third".into();
        let errors = validate_review(&form).expect_err("invalid");
        assert_eq!(errors.get("closes_at"), Some("review.error.order"));
        assert_eq!(errors.get("half"), Some("review.error.half"));
    }

    #[test]
    fn every_item_needs_a_rating_and_unknown_is_one() {
        let typed = vec![
            (1, "satisfied".to_string(), " ".to_string()),
            (2, "unknown".to_string(), "没去过".to_string()),
        ];
        let answers = validate_response(&[1, 2], &typed).expect("valid");
        assert_eq!(answers[0].comment, None);
        assert_eq!(answers[1].rating, Rating::Unknown);
        assert_eq!(
            validate_response(&[1, 2, 3], &typed),
            Err(vec![(3, "review.error.rating")])
        );
        let long = vec![(1, "basic".to_string(), "字".repeat(MAX_COMMENT + 1))];
        assert_eq!(
            validate_response(&[1], &long),
            Err(vec![(1, "review.error.comment")])
        );
    }

    #[test]
    fn a_reconsultation_needs_every_field() {
        let form = ReconsultForm {
            held_on: "2026-08-01".into(),
            method: "入户走访".into(),
            heard: "路灯太暗".into(),
            changes: String::new(),
        };
        let errors = validate_reconsult(&form).expect_err("missing changes");
        assert_eq!(errors.get("changes"), Some("review.error.text"));
    }
}
