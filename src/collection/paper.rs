//! Paper ballots, as rules: double entry (two clerks type the same paper; identical typings
//! post, differing ones wait for reconciliation) and the closure certificate of a collection
//! site (papers issued, returned, spoiled and entered must add up).

use serde::{Deserialize, Serialize};

use super::ballot::Suggestion;

/// One typing of a paper ballot, compared as a whole with another clerk's typing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Typing {
    pub household_number: String,
    pub suggestions: Vec<Suggestion>,
}

impl Typing {
    /// Two typings agree when every field matches after folding runs of white space, so an
    /// extra space is not a mismatch but a different word or amount is.
    pub fn agrees_with(&self, other: &Typing) -> bool {
        self.differences(other).is_empty()
    }

    /// Where this typing differs from `other`, by the same folding as [`Typing::agrees_with`]:
    /// `(0, "household_number")`, or `(row, field)` with rows from 1; a row only one typing has
    /// differs in every field. The reconcile page marks these so a clerk compares them first.
    pub fn differences(&self, other: &Typing) -> Vec<(usize, &'static str)> {
        fn fold(text: &str) -> String {
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        let mut found = Vec::new();
        if self.household_number.trim() != other.household_number.trim() {
            found.push((0, "household_number"));
        }
        let rows = self.suggestions.len().max(other.suggestions.len());
        for i in 0..rows {
            let (a, b) = (self.suggestions.get(i), other.suggestions.get(i));
            let fields: [(&'static str, bool); 5] = match (a, b) {
                (Some(a), Some(b)) => [
                    ("category", a.category == b.category),
                    ("title", fold(&a.title) == fold(&b.title)),
                    ("details", fold(&a.details) == fold(&b.details)),
                    ("place", fold(&a.place) == fold(&b.place)),
                    ("cost", a.cost_fen == b.cost_fen),
                ],
                _ => [
                    ("category", false),
                    ("title", false),
                    ("details", false),
                    ("place", false),
                    ("cost", false),
                ],
            };
            found.extend(
                fields
                    .into_iter()
                    .filter(|(_, same)| !same)
                    .map(|(f, _)| (i + 1, f)),
            );
        }
        found
    }
}

/// The state of an earlier typing of the same paper serial.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryState {
    Waiting,
    Posted,
    Mismatch,
    Resolved,
}

impl EntryState {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Waiting => "waiting",
            EntryState::Posted => "posted",
            EntryState::Mismatch => "mismatch",
            EntryState::Resolved => "resolved",
        }
    }

    pub fn parse(text: &str) -> Option<EntryState> {
        [
            EntryState::Waiting,
            EntryState::Posted,
            EntryState::Mismatch,
            EntryState::Resolved,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// Where a collection site stands: its closure certificate is signed once and never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteState {
    Collecting,
    Certified,
}

impl SiteState {
    /// Derived from the stored certificate time: a site is certified exactly when it has one.
    pub fn of(certified_at: Option<chrono::NaiveDateTime>) -> SiteState {
        match certified_at {
            Some(_) => SiteState::Certified,
            None => SiteState::Collecting,
        }
    }
}

/// An earlier typing: who typed it and where it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Earlier {
    pub id: i64,
    pub clerk: i64,
    pub state: EntryState,
}

/// What to do with a new typing of a paper serial under double entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// The first typing: keep it and wait for a second clerk.
    WaitForSecond,
    /// A second clerk typed it: compare with typing `id`.
    CompareWith(i64),
    /// This clerk typed this paper before; a different clerk must do the second typing.
    SameClerk,
    /// The paper was posted, is awaiting reconciliation, or was reconciled: nothing to type.
    AlreadySettled,
}

pub fn next_step(earlier: &[Earlier], clerk: i64) -> NextStep {
    if earlier.iter().any(|e| e.state != EntryState::Waiting) {
        return NextStep::AlreadySettled;
    }
    if earlier.iter().any(|e| e.clerk == clerk) {
        return NextStep::SameClerk;
    }
    match earlier.first() {
        Some(first) => NextStep::CompareWith(first.id),
        None => NextStep::WaitForSecond,
    }
}

/// The counts on a collection site's closure certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SiteCounts {
    pub issued: i64,
    pub returned: i64,
    pub spoiled: i64,
    /// Paper ballots of this site that count (entered and posted).
    pub entered: i64,
}

/// What does not add up on a certificate; each has a sentence on the certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteMismatch {
    /// More papers came back than were handed out.
    ReturnedExceedsIssued,
    /// More papers spoiled than came back.
    SpoiledExceedsReturned,
    /// Returned minus spoiled should equal the papers entered.
    EnteredDiffers { expected: i64 },
}

impl SiteMismatch {
    pub fn message_key(self) -> &'static str {
        match self {
            SiteMismatch::ReturnedExceedsIssued => "site.mismatch.returned",
            SiteMismatch::SpoiledExceedsReturned => "site.mismatch.spoiled",
            SiteMismatch::EnteredDiffers { .. } => "site.mismatch.entered",
        }
    }
}

pub fn certificate_mismatches(counts: SiteCounts) -> Vec<SiteMismatch> {
    let mut found = Vec::new();
    if counts.returned > counts.issued {
        found.push(SiteMismatch::ReturnedExceedsIssued);
    }
    if counts.spoiled > counts.returned {
        found.push(SiteMismatch::SpoiledExceedsReturned);
    }
    let expected = counts.returned - counts.spoiled;
    if expected != counts.entered {
        found.push(SiteMismatch::EnteredDiffers { expected });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(title: &str, cost: Option<i64>) -> Suggestion {
        Suggestion {
            category: "照明".into(),
            title: title.into(),
            details: "d".into(),
            place: "p".into(),
            cost_fen: cost,
        }
    }

    fn typing(number: &str, suggestions: Vec<Suggestion>) -> Typing {
        Typing {
            household_number: number.into(),
            suggestions,
        }
    }

    #[test]
    fn identical_typings_agree_and_spacing_does_not_matter() {
        let a = typing("0101", vec![s("村口 路灯", Some(100))]);
        let b = typing("0101", vec![s(" 村口  路灯 ", Some(100))]);
        assert!(a.agrees_with(&b));
    }

    #[test]
    fn any_real_difference_is_a_mismatch() {
        let a = typing("0101", vec![s("路灯", Some(100))]);
        assert!(
            !a.agrees_with(&typing("0102", vec![s("路灯", Some(100))])),
            "household"
        );
        assert!(
            !a.agrees_with(&typing("0101", vec![s("路灯", Some(1000))])),
            "amount"
        );
        assert!(
            !a.agrees_with(&typing("0101", vec![s("路等", Some(100))])),
            "title"
        );
        assert!(
            !a.agrees_with(&typing("0101", vec![s("路灯", Some(100)), s("桥", None)])),
            "count"
        );
        let mut other_category = s("路灯", Some(100));
        other_category.category = "其他".into();
        assert!(
            !a.agrees_with(&typing("0101", vec![other_category])),
            "category"
        );
    }

    #[test]
    fn double_entry_steps() {
        let w = |id, clerk| Earlier {
            id,
            clerk,
            state: EntryState::Waiting,
        };
        assert_eq!(next_step(&[], 1), NextStep::WaitForSecond);
        assert_eq!(next_step(&[w(7, 1)], 1), NextStep::SameClerk);
        assert_eq!(next_step(&[w(7, 1)], 2), NextStep::CompareWith(7));
        for state in [
            EntryState::Posted,
            EntryState::Mismatch,
            EntryState::Resolved,
        ] {
            let done = [Earlier {
                id: 7,
                clerk: 1,
                state,
            }];
            assert_eq!(next_step(&done, 2), NextStep::AlreadySettled, "{state:?}");
            assert_eq!(next_step(&done, 1), NextStep::AlreadySettled, "{state:?}");
        }
        for s in ["waiting", "posted", "mismatch", "resolved"] {
            assert_eq!(EntryState::parse(s).map(EntryState::as_str), Some(s));
        }
        assert_eq!(EntryState::parse("typed"), None);
    }

    #[test]
    fn a_clean_certificate_has_no_mismatch() {
        let counts = SiteCounts {
            issued: 120,
            returned: 100,
            spoiled: 3,
            entered: 97,
        };
        assert_eq!(certificate_mismatches(counts), vec![]);
    }

    #[test]
    fn every_kind_of_mismatch_is_shown() {
        let counts = SiteCounts {
            issued: 10,
            returned: 12,
            spoiled: 13,
            entered: 0,
        };
        assert_eq!(
            certificate_mismatches(counts),
            vec![
                SiteMismatch::ReturnedExceedsIssued,
                SiteMismatch::SpoiledExceedsReturned,
                SiteMismatch::EnteredDiffers { expected: -1 }
            ]
        );
        let missing = SiteCounts {
            issued: 50,
            returned: 40,
            spoiled: 0,
            entered: 38,
        };
        assert_eq!(
            certificate_mismatches(missing),
            vec![SiteMismatch::EnteredDiffers { expected: 40 }]
        );
    }

    #[test]
    fn differences_name_the_household_number_and_each_differing_field_by_row() {
        let row = |title: &str, cost: Option<i64>| Suggestion {
            category: "道路交通".into(),
            title: title.into(),
            details: String::new(),
            place: "村口".into(),
            cost_fen: cost,
        };
        let a = Typing {
            household_number: "0101".into(),
            suggestions: vec![row("修路", Some(80_000)), row("装灯", None)],
        };
        assert!(a.differences(&a.clone()).is_empty());
        let mut b = a.clone();
        b.suggestions[0].cost_fen = Some(800_000);
        b.suggestions[1].title = "  装灯 ".into();
        assert_eq!(
            a.differences(&b),
            vec![(1, "cost")],
            "spacing is not a difference"
        );
        b.household_number = "0110".into();
        b.suggestions.pop();
        assert_eq!(
            a.differences(&b),
            vec![
                (0, "household_number"),
                (1, "cost"),
                (2, "category"),
                (2, "title"),
                (2, "details"),
                (2, "place"),
                (2, "cost")
            ]
        );
        assert!(!a.agrees_with(&b));
    }
}
