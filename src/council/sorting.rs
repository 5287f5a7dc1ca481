//! Sorting (梳理) rules, with no HTTP or SQL: what a candidate project needs, how support is
//! counted (distinct households, never typed in), and what merging and splitting may do.

use serde::{Deserialize, Serialize};

use crate::validation::FieldErrors;

/// What a clerk or council member typed to make a candidate.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CandidateForm {
    pub title: String,
    pub description: String,
    pub category: String,
    /// A group id, or empty for the whole village.
    pub group: String,
    pub cost: String,
    /// Suggestions to attach (repeated key).
    pub suggestion: Vec<String>,
    /// The form's one-time token (`web::once`).
    pub once: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCandidate {
    pub title: String,
    pub description: String,
    pub category: String,
    pub group_id: Option<i64>,
    pub rough_cost_fen: Option<i64>,
    pub suggestions: Vec<i64>,
}

/// A candidate's title: 1 to 60 characters once trimmed.
pub fn valid_title(title: &str) -> bool {
    let n = title.trim().chars().count();
    (1..=60).contains(&n)
}

pub fn validate(
    form: &CandidateForm,
    categories: &[String],
    group_ids: &[i64],
) -> Result<ValidCandidate, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = form.title.trim().to_string();
    if !valid_title(&title) {
        errors.add("title", "candidate.error.title");
    }
    let description = form.description.trim().to_string();
    if description.chars().count() > 2000 {
        errors.add("description", "candidate.error.description");
    }
    let category = form.category.trim().to_string();
    if !categories.contains(&category) {
        errors.add("category", "ballot.error.category");
    }
    let group_id = match form.group.trim() {
        "" => None,
        g => match g.parse::<i64>().ok().filter(|id| group_ids.contains(id)) {
            Some(id) => Some(id),
            None => {
                errors.add("group", "household.error.group");
                None
            }
        },
    };
    let rough_cost_fen = match form.cost.trim() {
        "" => None,
        typed => {
            let fen = crate::money::parse_yuan(typed);
            if fen.is_none() {
                errors.add("cost", "ballot.error.cost");
            }
            fen
        }
    };
    let mut suggestions: Vec<i64> = form
        .suggestion
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    suggestions.sort_unstable();
    suggestions.dedup();
    errors.into_result(ValidCandidate {
        title,
        description,
        category,
        group_id,
        rough_cost_fen,
        suggestions,
    })
}

/// Support is the number of distinct households whose counted ballots hold an attached
/// suggestion: two suggestions from one household count once.
pub fn support(households: &[i64]) -> usize {
    let mut distinct = households.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len()
}

/// Why a merge is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeRefusal {
    SameCandidate,
    NotOpen,
}

/// Two candidates of one round may merge when both are still plain candidates.
pub fn may_merge(
    into: i64,
    from: i64,
    into_open: bool,
    from_open: bool,
) -> Result<(), MergeRefusal> {
    if into == from {
        return Err(MergeRefusal::SameCandidate);
    }
    if !(into_open && from_open) {
        return Err(MergeRefusal::NotOpen);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_one_to_sixty_characters() {
        assert!(valid_title("路灯"));
        assert!(valid_title(&"路".repeat(60)));
        assert!(!valid_title(&"路".repeat(61)));
        assert!(!valid_title("   "));
    }

    fn form(
        title: &str,
        category: &str,
        group: &str,
        cost: &str,
        suggestions: &[&str],
    ) -> CandidateForm {
        CandidateForm {
            title: title.into(),
            description: "".into(),
            category: category.into(),
            group: group.into(),
            cost: cost.into(),
            suggestion: suggestions.iter().map(|s| s.to_string()).collect(),
            once: String::new(),
        }
    }

    #[test]
    fn a_candidate_needs_a_title_a_category_and_a_real_group() {
        let cats = vec!["照明".to_string()];
        let ok = validate(
            &form(" 村口路灯 ", "照明", "", "3,000", &["7", "3", "7", "x"]),
            &cats,
            &[1],
        )
        .expect("valid");
        assert_eq!(ok.title, "村口路灯");
        assert_eq!(ok.group_id, None);
        assert_eq!(ok.rough_cost_fen, Some(300_000));
        assert_eq!(ok.suggestions, vec![3, 7]);
        let bad = validate(&form("", "火箭", "9", "abc", &[]), &cats, &[1]).expect_err("invalid");
        for field in ["title", "category", "group", "cost"] {
            assert!(bad.get(field).is_some(), "{field}");
        }
        assert_eq!(
            validate(&form("路灯", "照明", "1", "", &[]), &cats, &[1])
                .expect("valid")
                .group_id,
            Some(1)
        );
    }

    #[test]
    fn support_counts_households_not_suggestions() {
        assert_eq!(support(&[]), 0);
        assert_eq!(support(&[5, 5, 5]), 1);
        assert_eq!(support(&[1, 2, 2, 3]), 3);
    }

    #[test]
    fn merging_needs_two_open_candidates() {
        assert_eq!(
            may_merge(1, 1, true, true),
            Err(MergeRefusal::SameCandidate)
        );
        assert_eq!(may_merge(1, 2, true, false), Err(MergeRefusal::NotOpen));
        assert_eq!(may_merge(1, 2, true, true), Ok(()));
    }
}
